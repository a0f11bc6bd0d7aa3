import type { Redis } from 'ioredis';

/** Entries kept per store to put back; older ones are left to Redis's own persistence. */
const journalSize = 10_000;

/**
 * KEYS: audit sequence, audit log. ARGV: pairs of id and stored JSON. Puts
 * back entries a restarted Redis lost, under their own ids (never over an
 * entry that is there), and moves the sequence past them so no id is
 * handed out twice. Returns how many were put back.
 */
const restoreLua = `
local restored = 0
local highest = 0
for i = 1, #ARGV, 2 do
  local id = tonumber(ARGV[i])
  if id > highest then highest = id end
  if #redis.call('ZRANGEBYSCORE', KEYS[2], id, id) == 0 then
    redis.call('ZADD', KEYS[2], id, ARGV[i + 1])
    restored = restored + 1
  end
end
local sequence = tonumber(redis.call('GET', KEYS[1]) or '0')
if highest > sequence then redis.call('SET', KEYS[1], highest) end
return restored
`;

/**
 * The audit entries this store got acknowledged, newest last, so that a
 * Redis that comes back empty (restarted without persistence) gets them back
 * from every instance still running: an acknowledged entry is lost only if
 * Redis and the instance that wrote it are both lost.
 */
export class AuditJournal {
  readonly #entries: Array<{ id: number; json: string }> = [];

  remember(id: number, json: string): void {
    this.#entries.push({ id, json });
    if (this.#entries.length > journalSize) this.#entries.shift();
  }

  /** Puts back whatever of the journal the log lacks; resolves with the number put back. */
  async restore(redis: Redis, sequenceKey: string, logKey: string): Promise<number> {
    if (this.#entries.length === 0) return 0;
    const args = this.#entries.flatMap(({ id, json }) => [String(id), json]);
    return (await redis.eval(restoreLua, 2, sequenceKey, logKey, ...args)) as number;
  }
}
