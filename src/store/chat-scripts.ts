/*
 * Lua scripts of the chat repository (src/store/chat-roster.ts, a layer of ChatRepo). A script runs as one step
 * (https://redis.io/docs/latest/develop/interact/programmability/eval-intro/): no roster refresh or 名单 change can
 * come between its read of a member and its write.
 */

/**
 * ChatRepo.setRole: record the platform's admin flag for a member and, when the chat's roster is cached (it has a
 * `rosterAt`) and lists the member, set the member's `platformRole` there; an owner stays owner. Only that one
 * member's entry is rewritten, never the whole roster.
 * KEYS: 1 the platform's admins of the chat (set), 2 the cached roster (hash memberId → JSON Member), 3 chat meta.
 * ARGV: 1 member id, 2 role: 'admin' | 'member'.
 * Returns 1 when the roster entry changed, else 0.
 */
export const SET_ROLE = `
if ARGV[2] == 'admin' then redis.call('SADD', KEYS[1], ARGV[1]) else redis.call('SREM', KEYS[1], ARGV[1]) end
if redis.call('HEXISTS', KEYS[3], 'rosterAt') == 0 then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then return 0 end
local member = cjson.decode(raw)
local role = member.platformRole or 'member'
if role == 'owner' or role == ARGV[2] then return 0 end
member.platformRole = ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(member))
return 1
`;

/**
 * ChatRepo.settings on one Redis: one field of many chats' settings hashes in one command, where a pipeline sends a
 * command a chat (ioredis spends about 5 µs of node CPU on each: bench:schedule reads the 免打扰 setting of every
 * chat of a campaign). Read-only. On a cluster each chat's hash is in its own slot, so the pipeline stays there.
 * KEYS: the settings hashes. ARGV: 1 the field.
 * Returns one value a key, nil where unset (Lua false is a nil reply).
 */
export const HGET_MANY = `
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGET', KEYS[i], ARGV[1]) end
return out
`;
