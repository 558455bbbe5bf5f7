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
 * Creation (DutyRepo.create/createIf/createMany), a compare-and-set on the chats' number counters: the numbers were
 * given out from the counters read before; if one moved since (a duty created meanwhile), nothing is written and the
 * caller reads again. A chat's creation may be guarded: its guard key (or hash field) must be absent, and is set to
 * the chat's first new duty (a command message, a series occurrence, a campaign's duty in that chat). One command
 * however many duties and chats: the client builds one argument list, not a MULTI of seven commands per duty. On a
 * cluster the caller sends one chat per call (every key is then the chat's or one of its duties', one hash slot:
 * src/store/keys.ts); on one Redis, a whole campaign's chats in one call. The global open index is written here on
 * one Redis, and by the caller right after on a cluster (another slot).
 * A duty's audience record (src/store/duty-codec.ts) is written with SET NX when its JSON is sent; when the caller
 * knows it is there already it sends '' and the script only checks that it is.
 * KEYS: per chat c at 1 + 5c: counter, numbers hash, open index, all index, guard key (the counter again when
 *       unguarded); then per duty d (in chat order) at 1 + 5C + 5d: record, history, revision, answers, audience
 *       record (the record again when the audience is inline); then the global open index if ARGV[3] is '1'.
 * ARGV: 1 chats (C), 2 duties, 3 '1' when the global open index is among the keys; per chat at 4 + 4c: counter read,
 *       counter after, its duties, guard ('-' none, '' the key itself, else that hash field); per duty at
 *       4 + 4C + 8d: id, number, time (ms), record JSON, history entry JSON, the answer the duty starts with (the
 *       organizer's, src/domain/answers.ts impliedAnswer): member id and JSON, or '' and ''; and the audience
 *       record's JSON ('-' inline, '' already there, '=' sent with an earlier duty of this call).
 * Returns 1 when written, 0 on conflict (a counter moved), -1 when a chat's guard is already set, -2 when an audience
 * record said to be there is not (nothing written in these three cases).
 */
export const CREATE_DUTIES = `
local chats = tonumber(ARGV[1])
local duties = tonumber(ARGV[2])
local openKey = nil
if ARGV[3] == '1' then openKey = KEYS[5 * chats + 5 * duties + 1] end
for c = 0, chats - 1 do
  local guard = ARGV[7 + 4 * c]
  local guardKey = KEYS[5 + 5 * c]
  if guard == '' and redis.call('EXISTS', guardKey) == 1 then return -1 end
  if guard ~= '-' and guard ~= '' and redis.call('HEXISTS', guardKey, guard) == 1 then return -1 end
end
for c = 0, chats - 1 do
  if (redis.call('GET', KEYS[1 + 5 * c]) or '0') ~= ARGV[4 + 4 * c] then return 0 end
end
for d = 0, duties - 1 do
  if ARGV[4 + 4 * chats + 8 * d + 7] == '' and redis.call('EXISTS', KEYS[1 + 5 * chats + 5 * d + 4]) == 0 then return -2 end
end
local d = 0
for c = 0, chats - 1 do
  local ck = 1 + 5 * c
  local ca = 4 + 4 * c
  redis.call('SET', KEYS[ck], ARGV[ca + 1])
  local firstId = nil
  for i = 1, tonumber(ARGV[ca + 2]) do
    local a = 4 + 4 * chats + 8 * d
    local k = 1 + 5 * chats + 5 * d
    local id = ARGV[a]
    local at = ARGV[a + 2]
    if not firstId then firstId = id end
    redis.call('SET', KEYS[k], ARGV[a + 3])
    redis.call('RPUSH', KEYS[k + 1], ARGV[a + 4])
    redis.call('INCR', KEYS[k + 2])
    if ARGV[a + 5] ~= '' then redis.call('HSET', KEYS[k + 3], ARGV[a + 5], ARGV[a + 6]) end
    local audience = ARGV[a + 7]
    if audience ~= '-' and audience ~= '' and audience ~= '=' then redis.call('SET', KEYS[k + 4], audience, 'NX') end
    redis.call('HSET', KEYS[ck + 1], ARGV[a + 1], id)
    redis.call('ZADD', KEYS[ck + 2], at, id)
    redis.call('ZADD', KEYS[ck + 3], at, id)
    if openKey then redis.call('ZADD', openKey, at, id) end
    d = d + 1
  end
  local guard = ARGV[ca + 3]
  if firstId and guard == '' then redis.call('SET', KEYS[ck + 4], firstId) end
  if firstId and guard ~= '-' and guard ~= '' then redis.call('HSET', KEYS[ck + 4], guard, firstId) end
end
return 1
`;
