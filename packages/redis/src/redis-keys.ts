/**
 * Every Redis key the store (and later the shared mode) uses, built from one
 * prefix. A breaker's keys carry a Redis Cluster hash tag of its name, so all
 * keys of one breaker hash to the same slot and a script may touch several of
 * them; different breakers spread over the cluster.
 */
export interface RedisKeys {
  /** The prefix every key starts with. */
  readonly prefix: string;
  /** Set of the names of every saved breaker: read instead of KEYS / SCAN. */
  readonly breakerIndex: string;
  /** Hash: service → its override as JSON. */
  readonly overrides: string;
  /** Counter handing out audit ids (INCR). Shares the audit log's slot. */
  readonly auditSequence: string;
  /** Sorted set of audit entries as JSON, scored by id. */
  readonly auditLog: string;
  /** Sorted set of audit ids scored by their entry's time (epoch ms): what ages out first. */
  readonly auditTimes: string;
  /** Pub/sub channel on which shared transitions and configuration changes are announced. */
  readonly fleetChannel: string;
  /** Pub/sub channel on which instances report their own view of their breakers, while asked to. */
  readonly reportsChannel: string;
  /** Pub/sub channel on which an instance that shows the fleet asks for reports, once a second. */
  readonly reportRequestsChannel: string;
  /** Hash holding a breaker's version and its record as JSON. */
  breaker(name: string): string;
  /** A breaker's sliding window (shared mode). */
  window(name: string): string;
  /** A breaker's half-open permits (shared mode). */
  permits(name: string): string;
  /** A breaker's event stream or channel (shared mode). */
  events(name: string): string;
}

/** The key layout under `prefix`; the prefix is taken as given (validated by `RedisStore.connect`). */
export function redisKeys(prefix: string): RedisKeys {
  const perBreaker = (kind: string) => (name: string) => `${prefix}${kind}:${hashTag(name)}`;
  return Object.freeze({
    prefix,
    breakerIndex: `${prefix}breakers`,
    overrides: `${prefix}overrides`,
    // One tag for all three: appending an entry is one script over these keys,
    // which Cluster only allows when they share a slot.
    auditSequence: `${prefix}{audit}:seq`,
    auditLog: `${prefix}{audit}:log`,
    auditTimes: `${prefix}{audit}:times`,
    fleetChannel: `${prefix}fleet`,
    reportsChannel: `${prefix}reports`,
    reportRequestsChannel: `${prefix}report-requests`,
    breaker: perBreaker('breaker'),
    window: perBreaker('window'),
    permits: perBreaker('permits'),
    events: perBreaker('events'),
  });
}

/**
 * `{name}` with `%`, `{` and `}` percent-encoded. Cluster hashes only the text
 * up to the first `}` after the first `{`, so a raw brace in a name would cut
 * the tag short and scatter one breaker's keys over several slots. Escaping
 * `%` as well keeps the encoding one-to-one; every other character (colons,
 * unicode) is left readable. Unlike encodeURIComponent it never throws.
 */
export function hashTag(name: string): string {
  return `{${name.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}
