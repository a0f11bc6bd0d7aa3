import type { RedisClient } from './redis-connection';

// Lua runs atomically on the server, so a check and its write cannot be split
// by another instance's write. ioredis sends each script by EVALSHA and falls
// back to EVAL once when the server does not know it yet.

/**
 * KEYS[1] the breaker hash; ARGV[1] the version, ARGV[2] the record as JSON.
 * Writes unless the stored version is higher (an equal version replaces).
 * Returns 1 when written, 0 when ignored.
 */
const saveBreakerLua = `
local stored = redis.call('HGET', KEYS[1], 'version')
if stored and tonumber(stored) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'record', ARGV[2])
return 1
`;

/** Entries one append removes at most: a lowered bound is reached over a few appends, no script runs long. */
export const auditPruneBatch = 1000;

/**
 * KEYS[1] the audit sequence, KEYS[2] the audit log, KEYS[3] the audit times;
 * ARGV[1] the entry's JSON without its opening brace, ARGV[2] its time (epoch
 * ms), ARGV[3] the retention's maxEntries, ARGV[4] the age cutoff (epoch ms).
 * Takes the next id and stores the entry with it in one step, so no id is
 * ever handed out without its entry; then removes the oldest entries past
 * the retention (ids more than maxEntries below the new one, times before the
 * cutoff), at most ${auditPruneBatch} of each. Returns the id.
 */
const appendAuditLua = `
local id = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], id, '{"id":' .. id .. ',' .. ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], id)
local below = id - tonumber(ARGV[3])
if below > 0 then
  local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', below, 'WITHSCORES', 'LIMIT', 0, ${auditPruneBatch})
  for i = 2, #old, 2 do redis.call('ZREM', KEYS[3], old[i]) end
  if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', old[#old]) end
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[4], 'LIMIT', 0, ${auditPruneBatch})
for _, old in ipairs(expired) do
  redis.call('ZREMRANGEBYSCORE', KEYS[2], old, old)
  redis.call('ZREM', KEYS[3], old)
end
return id
`;

/** The store's scripts as methods of its client. */
export interface StoreScripts {
  breakwaterSaveBreaker(key: string, version: string, json: string): Promise<number>;
  breakwaterAppendAudit(
    sequenceKey: string,
    logKey: string,
    timesKey: string,
    entryTail: string,
    atMs: string,
    maxEntries: string,
    cutoffMs: string,
  ): Promise<number>;
}

/** Registers the scripts on `client` (idempotent) and returns it typed with them. */
export function defineStoreScripts(client: RedisClient): StoreScripts {
  client.defineCommand('breakwaterSaveBreaker', { numberOfKeys: 1, lua: saveBreakerLua });
  client.defineCommand('breakwaterAppendAudit', { numberOfKeys: 3, lua: appendAuditLua });
  return client as unknown as StoreScripts;
}
