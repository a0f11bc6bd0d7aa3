import type { Redis } from 'ioredis';

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

/**
 * KEYS[1] the audit sequence, KEYS[2] the audit log; ARGV[1] the entry's JSON
 * without its opening brace. Takes the next id and stores the entry with it
 * in one step, so no id is ever handed out without its entry. Returns the id.
 */
const appendAuditLua = `
local id = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], id, '{"id":' .. id .. ',' .. ARGV[1])
return id
`;

/** The store's scripts as methods of its client. */
export interface StoreScripts {
  breakwaterSaveBreaker(key: string, version: string, json: string): Promise<number>;
  breakwaterAppendAudit(sequenceKey: string, logKey: string, entryTail: string): Promise<number>;
}

/** Registers the scripts on `client` (idempotent) and returns it typed with them. */
export function defineStoreScripts(client: Redis): StoreScripts {
  client.defineCommand('breakwaterSaveBreaker', { numberOfKeys: 1, lua: saveBreakerLua });
  client.defineCommand('breakwaterAppendAudit', { numberOfKeys: 2, lua: appendAuditLua });
  return client as unknown as StoreScripts;
}
