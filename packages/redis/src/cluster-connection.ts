import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { prepareClient, reconnectDelay } from './redis-connection';

/**
 * ioredis Cluster settings with the same limits as a single server's
 * (`connectionSettings`): `redisOptions` apply to the connection to every
 * node, so a command still waits at most `commandTimeout` for its reply —
 * redirections and a failover's retries included, the timer is not reset —
 * and fails at once (no offline queue once ready) while the Cluster cannot
 * serve its slot.
 */
export function clusterSettings(
  seeds: readonly string[],
  nodeSettings: RedisOptions,
): ClusterOptions {
  return {
    lazyConnect: false,
    redisOptions: { ...nodeSettings, ...credentialsOf(seeds) },
    // Queued only until the first `ready`; `prepareClient` switches it off.
    enableOfflineQueue: true,
    // Reconnecting to the whole cluster (every node lost): the single server's backoff.
    clusterRetryStrategy: reconnectDelay,
    // A node lost or a slot moving: retry a few times, 100 ms apart, then the
    // command fails (and sharing reads `degraded`) until a replica takes over.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: nodeSettings.connectTimeout ?? 2_000,
    // Topology is read again now and then, so a promoted replica is found
    // even when no command has run into the change yet.
    slotsRefreshInterval: 5_000,
  };
}

/** A new Cluster client on `seeds`, connecting at once (see `createClient`). */
export function createClusterClient(seeds: readonly string[], settings: ClusterOptions): Cluster {
  return prepareClient(new Cluster(seeds.map(seedNode), settings));
}

/** `host` and `port` of a seed URL (validated by `resolveRedisStoreOptions`). */
function seedNode(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  // WHATWG URLs keep IPv6 hosts in brackets; sockets want them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: parsed.port === '' ? 6379 : Number(parsed.port) };
}

/**
 * The first seed's user, password and TLS, for every node: nodes found
 * through the cluster's topology have no URL of their own to carry them.
 */
function credentialsOf(seeds: readonly string[]): RedisOptions {
  const first = new URL(seeds[0] as string);
  const credentials: RedisOptions = {};
  if (first.username !== '') credentials.username = decodeURIComponent(first.username);
  if (first.password !== '') credentials.password = decodeURIComponent(first.password);
  if (first.protocol === 'rediss:') credentials.tls = {};
  return credentials;
}
