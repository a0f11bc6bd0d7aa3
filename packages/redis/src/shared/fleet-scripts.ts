import type { RedisClient } from '../redis-connection';

// The scripts that keep one shared breaker consistent across instances. Each
// touches only keys of one breaker (one hash tag, so one Cluster slot) and
// runs atomically, so a decision and its write are never split by another
// instance. A record is written with the next version and announced on the
// fleet channel in the same step: nobody can see a new version unannounced.
//
// Records travel as JSON that starts with `{"version":0`; a script that
// writes one puts the version it assigns in place of that 0, and otherwise
// passes the client's JSON through untouched (re-encoding in Lua would round
// numbers to 14 digits).

/** Lua helpers shared by the scripts that write a record. */
const writeRecord = `
local function announce(channel, from, json)
  redis.call('PUBLISH', channel, '{"kind":"record","from":"' .. from .. '","record":' .. json .. '}')
end
-- Every transition starts the fleet's counts afresh, as a local one does.
local function write(breakerKey, windowKey, version, json, channel, from)
  redis.call('HSET', breakerKey, 'version', version, 'record', json)
  redis.call('HDEL', breakerKey, 'trials')
  redis.call('DEL', windowKey)
  announce(channel, from, json)
end
`;

/**
 * A transition made on one instance. KEYS: breaker hash, window hash.
 * ARGV: record JSON (version 0), state, stateSince (wall ms), manual (1/0),
 * now (wall ms), channel, instance id. Refused (the shared record wins) when
 * the shared record is newer (a later stateSince: of two operators, the later
 * action stands), and unless manual, when the shared state is one an
 * operator set or an open period that has not ended while the new state is
 * not open. Returns {1, version, json} when written, {0, version, json} with
 * the shared record when refused.
 */
const transitionLua = `${writeRecord}
local current = redis.call('HMGET', KEYS[1], 'version', 'record')
local version = 1
if current[1] then
  local shared = cjson.decode(current[2])
  local refuse = type(shared.stateSince) == 'number' and shared.stateSince > tonumber(ARGV[3])
  if ARGV[4] ~= '1' then
    if shared.state == 'forced-open' or shared.state == 'disabled' then refuse = true end
    if shared.state == 'open' and ARGV[2] ~= 'open' and type(shared.openUntil) == 'number'
      and shared.openUntil > tonumber(ARGV[5]) then refuse = true end
  end
  if refuse then return {0, tonumber(current[1]), current[2]} end
  version = tonumber(current[1]) + 1
end
local json = '{"version":' .. version .. string.sub(ARGV[1], 13)
write(KEYS[1], KEYS[2], version, json, ARGV[6], ARGV[7])
return {1, version, json}
`;

/**
 * One instance's outcomes since its last flush, merged into the breaker's
 * fleet-wide window; trips the shared breaker when the fleet's counts break
 * a rule. KEYS: window hash, breaker hash. ARGV:
 *  1 now (wall ms)      2 bucket ms          3 buckets in the window
 *  4 successes          5 failures           6 failures after the batch's last success
 *  7 batch had a success (1/0)               8 count rule: consecutive | window
 *  9 failureThreshold  10 minimumCalls      11 failureRateThreshold ('' = off)
 * 12 resetTimeout      13 backoffMultiplier 14 maxResetTimeout
 * 15 channel           16 instance id       17 this instance's record JSON (version 0)
 * Returns {0} or {1, version, json, reason}.
 */
const flushLua = `${writeRecord}
local now = tonumber(ARGV[1])
local bucketMs = tonumber(ARGV[2])
local buckets = tonumber(ARGV[3])
local bucket = math.floor(now / bucketMs)
local successes = tonumber(ARGV[4])
local failures = tonumber(ARGV[5])
if successes > 0 then redis.call('HINCRBY', KEYS[1], 's:' .. bucket, successes) end
if failures > 0 then redis.call('HINCRBY', KEYS[1], 'f:' .. bucket, failures) end
local streak
if ARGV[7] == '1' then
  streak = tonumber(ARGV[6])
  redis.call('HSET', KEYS[1], 'streak', streak)
else
  streak = redis.call('HINCRBY', KEYS[1], 'streak', failures)
end
redis.call('PEXPIRE', KEYS[1], bucketMs * buckets * 2)

local calls, failed = 0, 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local kind, index = string.match(fields[i], '^(%a):(%-?%d+)$')
  if kind then
    index = tonumber(index)
    if index <= bucket - buckets then
      redis.call('HDEL', KEYS[1], fields[i])
    else
      local count = tonumber(fields[i + 1])
      calls = calls + count
      if kind == 'f' then failed = failed + count end
    end
  end
end

local current = redis.call('HMGET', KEYS[2], 'version', 'record')
local base
if current[1] then base = cjson.decode(current[2]) else base = cjson.decode(ARGV[17]) end
if base.state ~= 'closed' then return {0} end

local threshold = tonumber(ARGV[9])
local reason = false
if ARGV[8] == 'consecutive' and streak >= threshold then reason = 'consecutive-failures' end
if ARGV[8] == 'window' and failed >= threshold then reason = 'failure-count-in-window' end
if not reason and ARGV[11] ~= '' and calls >= tonumber(ARGV[10])
  and failed / calls >= tonumber(ARGV[11]) then reason = 'failure-rate' end
if not reason then return {0} end

local failedRecoveries = tonumber(base.failedRecoveries) or 0
local period = tonumber(ARGV[12]) * tonumber(ARGV[13]) ^ failedRecoveries
period = math.min(period, tonumber(ARGV[14]))
local version = 1
if current[1] then version = tonumber(current[1]) + 1 end
base.version = version
base.state = 'open'
base.stateSince = now
base.openUntil = now + period
local json = cjson.encode(base)
write(KEYS[2], KEYS[1], version, json, ARGV[15], ARGV[16])
return {1, version, json, reason}
`;

/**
 * KEYS: permits sorted set. ARGV: now (wall ms), lease ms, limit, member.
 * Drops expired leases, then takes one if fewer than `limit` are held.
 * Returns 1 when taken, else 0.
 */
const acquirePermitLua = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1
`;

/**
 * A trial ended. KEYS: permits, breaker hash, window hash. ARGV: member,
 * outcome (success | failure | ignored), successThreshold, now (wall ms),
 * channel, instance id. Gives the permit back; a success counts toward the
 * fleet's trial successes of the current open episode, and the one that
 * reaches `successThreshold` closes the shared breaker.
 * Returns {0} or {1, version, json}.
 */
const releasePermitLua = `${writeRecord}
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] ~= 'success' then return {0} end
local current = redis.call('HMGET', KEYS[2], 'version', 'record')
if not current[1] then return {0} end
local shared = cjson.decode(current[2])
if shared.state ~= 'open' then return {0} end
local trials = redis.call('HINCRBY', KEYS[2], 'trials', 1)
if trials < tonumber(ARGV[3]) then return {0} end
local version = tonumber(current[1]) + 1
shared.version = version
shared.state = 'closed'
shared.stateSince = tonumber(ARGV[4])
shared.openUntil = cjson.null
local json = cjson.encode(shared)
write(KEYS[2], KEYS[3], version, json, ARGV[5], ARGV[6])
return {1, version, json}
`;

/** A script's reply when it may have written a record: [written, version, json, reason?]. */
export type RecordReply = [number, number?, string?, string?];

/** The fleet scripts as methods of a client. */
export interface FleetScripts {
  breakwaterTransition(
    breakerKey: string,
    windowKey: string,
    ...args: string[]
  ): Promise<RecordReply>;
  breakwaterFlush(windowKey: string, breakerKey: string, ...args: string[]): Promise<RecordReply>;
  breakwaterAcquirePermit(permitsKey: string, ...args: string[]): Promise<number>;
  breakwaterReleasePermit(
    permitsKey: string,
    breakerKey: string,
    windowKey: string,
    ...args: string[]
  ): Promise<RecordReply>;
}

/** Registers the fleet scripts on `client` (idempotent) and returns it typed with them. */
export function defineFleetScripts(client: RedisClient): FleetScripts {
  client.defineCommand('breakwaterTransition', { numberOfKeys: 2, lua: transitionLua });
  client.defineCommand('breakwaterFlush', { numberOfKeys: 2, lua: flushLua });
  client.defineCommand('breakwaterAcquirePermit', { numberOfKeys: 1, lua: acquirePermitLua });
  client.defineCommand('breakwaterReleasePermit', { numberOfKeys: 3, lua: releasePermitLua });
  return client as unknown as FleetScripts;
}
