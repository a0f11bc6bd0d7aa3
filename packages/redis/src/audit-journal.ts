import { auditAgeCutoff, type ResolvedAuditRetention } from '@breakwater/core';
import type { RedisClient } from './redis-connection';

/** Entries kept per store to put back at most; older ones are left to Redis's own persistence. */
export const journalSize = 10_000;

/**
 * KEYS: audit sequence, audit log, audit times. ARGV[1] the retention's
 * maxEntries, ARGV[2] its age cutoff (epoch ms), then triples of id, time
 * (epoch ms) and stored JSON. Puts back entries a restarted Redis lost,
 * under their own ids (never over an entry that is there, never one the
 * retention has dropped: more than maxEntries below the newest id, or older
 * than the cutoff), and moves the sequence past them so no id is handed out
 * twice. Returns how many were put back.
 */
const restoreLua = `
local maxEntries = tonumber(ARGV[1])
local cutoff = tonumber(ARGV[2])
local highest = 0
for i = 3, #ARGV, 3 do
  local id = tonumber(ARGV[i])
  if id > highest then highest = id end
end
local sequence = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = math.max(highest, sequence) - maxEntries
local restored = 0
for i = 3, #ARGV, 3 do
  local id = tonumber(ARGV[i])
  local at = tonumber(ARGV[i + 1])
  if id > floor and at >= cutoff and #redis.call('ZRANGEBYSCORE', KEYS[2], id, id) == 0 then
    redis.call('ZADD', KEYS[2], id, ARGV[i + 2])
    redis.call('ZADD', KEYS[3], at, id)
    restored = restored + 1
  end
end
if highest > sequence then redis.call('SET', KEYS[1], highest) end
return restored
`;

interface JournalEntry {
  readonly id: number;
  readonly atMs: number;
  readonly json: string;
}

/**
 * The audit entries this store got acknowledged, newest last, so that a
 * Redis that comes back empty (restarted without persistence) gets them back
 * from every instance still running: an acknowledged entry is lost only if
 * Redis and the instance that wrote it are both lost. It keeps what the
 * audit retention keeps, at most {@link journalSize} entries: never more
 * than the log itself would hold.
 */
export class AuditJournal {
  readonly #retention: ResolvedAuditRetention;
  readonly #size: number;
  /** Oldest first, from index `#start` on (dropped entries before it). */
  readonly #entries: JournalEntry[] = [];
  #start = 0;

  constructor(retention: ResolvedAuditRetention) {
    this.#retention = retention;
    this.#size = Math.min(journalSize, retention.maxEntries);
  }

  /** How many entries it holds. */
  get size(): number {
    return this.#entries.length - this.#start;
  }

  remember(id: number, json: string, atMs: number): void {
    this.#entries.push({ id, atMs, json });
    const cutoff = auditAgeCutoff(this.#retention, atMs);
    let start = Math.max(this.#start, this.#entries.length - this.#size);
    while (start < this.#entries.length && (this.#entries[start]?.atMs ?? cutoff) < cutoff) start++;
    this.#start = start;
    if (start > this.#entries.length / 2) {
      this.#entries.splice(0, start);
      this.#start = 0;
    }
  }

  /** Puts back whatever of the journal the log lacks; resolves with the number put back. */
  async restore(redis: RedisClient, keys: readonly [string, string, string]): Promise<number> {
    const kept = this.#entries.slice(this.#start);
    const newest = kept.at(-1);
    if (newest === undefined) return 0;
    const cutoff = auditAgeCutoff(this.#retention, newest.atMs);
    const args = kept.flatMap(({ id, atMs, json }) => [String(id), String(atMs), json]);
    return (await redis.eval(
      restoreLua,
      keys.length,
      ...keys,
      String(this.#retention.maxEntries),
      String(cutoff),
      ...args,
    )) as number;
  }
}
