/*
 * Lua scripts of the duty repository.
 *
 * The two scripts of an answer (DutyRepo.answer): an optimistic compare-and-set in two round trips.
 * READ returns the state the decision is taken on; WRITE applies the decision only if that state has not changed
 * since (the member's answer version and the duty record), else it answers "conflict" and the caller reads again.
 * The decision itself stays in TypeScript (src/domain/answers.ts): the scripts only read, compare and write.
 *
 * Why scripts rather than WATCH … MULTI: a MULTI of seven writes costs the client nine extra replies to decode
 * and a connection of its own per transaction; and the answers come back as one JSON object instead of one reply
 * element per field (about 1 µs of client CPU each in ioredis 6): bench:callback.
 */

/**
 * KEYS: 1 duty, 2 answers hash, 3 member's answer version, 4 click claim (optional).
 * Returns { duty JSON or false, answers as one JSON object, member version, claim taken (0/1) }.
 * The hash values are the JSON answers this repository wrote, so joining them makes one JSON object.
 */
export const READ_ANSWER_STATE = `
local flat = redis.call('HGETALL', KEYS[2])
local parts = {}
for i = 1, #flat, 2 do parts[#parts + 1] = cjson.encode(flat[i]) .. ':' .. flat[i + 1] end
local taken = 0
if KEYS[4] then taken = redis.call('EXISTS', KEYS[4]) end
return { redis.call('GET', KEYS[1]), '{' .. table.concat(parts, ',') .. '}', redis.call('GET', KEYS[3]) or '0', taken }
`;

/**
 * KEYS: 1 duty, 2 answers hash, 3 member's answer version, 4 history, 5 revision, 6 refresh flag, 7 claim (optional).
 * ARGV: 1 member version read, 2 sha1 of the duty JSON read, 3 member id, 4 answer JSON, 5 history entry JSON,
 *       6 the duty's new JSON when it changes (an open audience grows) or '', 7 refresh flag lifetime (ms),
 *       8 claim lifetime (s).
 * Returns { 0 } on conflict (read again), { -1 } when the claim was taken meanwhile, else { 1, new revision,
 * 1 if the refresh flag was set now (no refresh queued yet) or 0 if it was already there }.
 */
export const WRITE_ANSWER = `
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return { 0 } end
local duty = redis.call('GET', KEYS[1])
if not duty or redis.sha1hex(duty) ~= ARGV[2] then return { 0 } end
if KEYS[7] and redis.call('EXISTS', KEYS[7]) == 1 then return { -1 } end
if ARGV[6] ~= '' then redis.call('SET', KEYS[1], ARGV[6]) end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('INCR', KEYS[3])
redis.call('RPUSH', KEYS[4], ARGV[5])
local rev = redis.call('INCR', KEYS[5])
if KEYS[7] then redis.call('SET', KEYS[7], '1', 'EX', ARGV[8]) end
local fresh = redis.call('SET', KEYS[6], '1', 'PX', ARGV[7], 'NX')
if fresh then return { 1, rev, 1 } end
return { 1, rev, 0 }
`;

/**
 * Creation (DutyRepo.create/createIf/createMany), a compare-and-set on the chat's number counter: the numbers were
 * given out from the counter read before; if it moved since (a duty created meanwhile), nothing is written and the
 * caller reads again. One command however many duties: the client builds one argument list, not a MULTI of seven
 * commands per duty. Every key is the chat's or one of its duties' (one hash slot on a cluster, src/store/keys.ts);
 * the global open index is written here on one Redis, and by the caller right after on a cluster (another slot).
 * KEYS: 1 counter, 2 numbers hash, 3 open index, 4 all index of the chat; per duty d at 5 + 4d: record, history,
 *       revision, answers; then the guard's key if any; then the global open index if ARGV[5] is '1'.
 * ARGV: 1 duties, 2 guard: '-' none, '' a plain key, else that hash field; 3 counter read, 4 counter after; 5 '1' when
 *       the global open index is among the keys; per duty at 6 + 7d: id, number, time (ms), record JSON, history
 *       entry JSON, and the answer the duty starts with (the organizer's, src/domain/answers.ts impliedAnswer):
 *       member id and JSON, or '' and ''.
 * Returns 1 when written, 0 on conflict, -1 when the guard is already set (nothing written then).
 */
export const CREATE_DUTIES = `
local duties = tonumber(ARGV[1])
local guard = ARGV[2]
local extra = 4 + 4 * duties
local guardKey = nil
local openKey = nil
if guard ~= '-' then guardKey = KEYS[extra + 1]; extra = extra + 1 end
if ARGV[5] == '1' then openKey = KEYS[extra + 1] end
if guard == '' and redis.call('EXISTS', guardKey) == 1 then return -1 end
if guard ~= '-' and guard ~= '' and redis.call('HEXISTS', guardKey, guard) == 1 then return -1 end
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[4])
for d = 0, duties - 1 do
  local a = 6 + 7 * d
  local k = 5 + 4 * d
  local id = ARGV[a]
  local at = ARGV[a + 2]
  redis.call('SET', KEYS[k], ARGV[a + 3])
  redis.call('RPUSH', KEYS[k + 1], ARGV[a + 4])
  redis.call('INCR', KEYS[k + 2])
  if ARGV[a + 5] ~= '' then redis.call('HSET', KEYS[k + 3], ARGV[a + 5], ARGV[a + 6]) end
  redis.call('HSET', KEYS[2], ARGV[a + 1], id)
  redis.call('ZADD', KEYS[3], at, id)
  redis.call('ZADD', KEYS[4], at, id)
  if openKey then redis.call('ZADD', openKey, at, id) end
end
if guard == '' then redis.call('SET', guardKey, ARGV[6]) end
if guard ~= '-' and guard ~= '' then redis.call('HSET', guardKey, guard, ARGV[6]) end
return 1
`;
