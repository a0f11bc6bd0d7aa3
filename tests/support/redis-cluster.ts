import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { freePort, spawnRedisServer } from './redis-server';

// A private Redis Cluster for one test file: 3 masters (and a replica each,
// for failover) from `redis-server --cluster-enabled yes`, joined by
// `redis-cli --cluster create`, on free loopback ports, nothing on disk but
// each node's cluster config in a temp dir. Same shape as redis-server.ts.

export interface ClusterNodeProcess {
  readonly port: number;
  readonly url: string;
  /** Whether its process is running (not killed). */
  readonly running: boolean;
}

export interface PrivateCluster {
  /** Every node, masters first as `redis-cli --cluster create` was given them. */
  readonly nodes: readonly ClusterNodeProcess[];
  /** The URLs of the first masters: what a client is given as seeds. */
  readonly seeds: readonly string[];
  /** `CLUSTER KEYSLOT key`, asked of a running node. */
  keySlot(key: string): Promise<number>;
  /** The port of the master that serves `slot` now. */
  masterOf(slot: number): Promise<number>;
  /** Kills the node on `port` at once (SIGKILL), as a crash would look. */
  kill(port: number): Promise<void>;
  /** Starts the node on `port` again with its cluster config (it rejoins, as a replica once failed over). */
  restart(port: number): Promise<void>;
  /**
   * Resolves once every running node reads `cluster_state:ok`, every slot is
   * served by a running master, and (unless `replicas` is false) every
   * running replica is in sync with its master.
   */
  whenHealthy(options?: { replicas?: boolean }): Promise<void>;
  /** Kills every node and removes the temp dir. */
  stop(): Promise<void>;
}

export interface ClusterShape {
  /** Masters (at least 3, as Cluster requires). Default 3. */
  readonly masters?: number;
  /** Replicas per master: 1 to cover failover. Default 1. */
  readonly replicas?: number;
  /** `cluster-node-timeout`, ms: how long a silent node takes to be failed over. Default 1000. */
  readonly nodeTimeout?: number;
}

/** How long the cluster may take to form or heal, ms. */
const patience = 30_000;

async function canRun(command: string): Promise<boolean> {
  const child = spawn(command, ['--version'], { stdio: 'ignore' });
  child.on('error', () => {});
  const [code] = (await once(child, 'exit').catch(() => [1])) as [number | null];
  return code === 0;
}

const missing = (
  await Promise.all(
    ['redis-server', 'redis-cli'].map(async (tool) => ((await canRun(tool)) ? [] : [tool])),
  )
).flat();
let warned = false;

/**
 * `describe(name, fn)` when `redis-server` and `redis-cli` can be started to
 * form a private cluster. Otherwise skipped with one warning, or in CI
 * (CI=true) a suite with one failing test that says why: the same rule as
 * `describeWithRedis`.
 */
export function describeWithRedisCluster(name: string, fn: () => void): void {
  const reason = `no ${missing.join(' or ')} binary to start a private Redis Cluster with`;
  if (missing.length === 0) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server and redis-cli in CI', () => {
        throw new Error(`redis-server and redis-cli are required in CI (CI=true): ${reason}`);
      });
    });
  } else {
    if (!warned) console.warn(`Skipping Redis Cluster tests: ${reason}`);
    warned = true;
    describe.skip(name, fn);
  }
}

interface NodeProcess {
  readonly port: number;
  readonly busPort: number;
  child: ChildProcess | undefined;
}

/** Starts the nodes, creates the cluster and resolves once it is healthy. */
export async function startPrivateCluster(shape: ClusterShape = {}): Promise<PrivateCluster> {
  const masters = shape.masters ?? 3;
  const replicas = shape.replicas ?? 1;
  const nodeTimeout = shape.nodeTimeout ?? 1_000;
  const directory = await mkdtemp(join(tmpdir(), 'breakwater-cluster-'));
  const ports = await freePorts(2 * masters * (1 + replicas));
  const processes: NodeProcess[] = [];
  for (let index = 0; index < ports.length; index += 2) {
    processes.push({
      port: ports[index] as number,
      busPort: ports[index + 1] as number,
      child: undefined,
    });
  }
  const start = async (node: NodeProcess) => {
    node.child = await launch(node, directory, nodeTimeout);
  };
  const byPort = (port: number) => {
    const node = processes.find((each) => each.port === port);
    if (node === undefined) throw new RangeError(`no cluster node on port ${port}`);
    return node;
  };
  const running = () => processes.filter((node) => isRunning(node.child));
  const ask = <T>(command: (client: Redis) => Promise<T>) => {
    const node = running()[0];
    if (node === undefined) throw new Error('no cluster node is running');
    return onNode(node.port, command);
  };
  const stop = async () => {
    await Promise.all(processes.map((node) => terminate(node.child)));
    await rm(directory, { recursive: true, force: true });
  };

  const cluster: PrivateCluster = {
    nodes: processes.map((node) => ({
      port: node.port,
      url: `redis://127.0.0.1:${node.port}`,
      get running() {
        return isRunning(node.child);
      },
    })),
    seeds: processes.slice(0, masters).map((node) => `redis://127.0.0.1:${node.port}`),
    keySlot: (key) => ask((client) => client.cluster('KEYSLOT', key) as Promise<number>),
    async masterOf(slot) {
      const ranges = await ask((client) => client.cluster('SLOTS'));
      const range = ranges.find(([first, last]) => first <= slot && slot <= last);
      const port = range?.[2]?.[1];
      if (port === undefined) throw new Error(`no master serves slot ${slot}`);
      return port;
    },
    kill: (port) => terminate(byPort(port).child),
    restart: (port) => start(byPort(port)),
    whenHealthy: (options = {}) => waitUntilHealthy(running(), options.replicas ?? true),
    stop,
  };

  try {
    await Promise.all(processes.map(start));
    await createCluster(processes, replicas);
    await cluster.whenHealthy();
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function launch(
  node: NodeProcess,
  directory: string,
  nodeTimeout: number,
): Promise<ChildProcess> {
  const { port, busPort } = node;
  // The bus port is chosen too (port + 10000 may be past 65535 or taken).
  return spawnRedisServer(port, [
    ...['--daemonize', 'no', '--dir', directory, '--cluster-enabled', 'yes'],
    ...['--cluster-config-file', `nodes-${port}.conf`, '--cluster-port', String(busPort)],
    ...['--cluster-node-timeout', String(nodeTimeout)],
  ]);
}

async function createCluster(nodes: readonly NodeProcess[], replicas: number): Promise<void> {
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  const child = spawn(
    'redis-cli',
    ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0)
    throw new Error(`redis-cli --cluster create exited with ${code}: ${output.slice(-1_000)}`);
}

async function waitUntilHealthy(nodes: readonly NodeProcess[], replicas: boolean): Promise<void> {
  const giveUpAt = performance.now() + patience;
  let last = 'not asked yet';
  for (;;) {
    last = (await unhealthy(nodes, replicas).catch((error: Error) => error.message)) ?? '';
    if (last === '') return;
    if (performance.now() > giveUpAt) {
      throw new Error(`the private cluster was not healthy within ${patience} ms: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What is not healthy yet, or undefined. */
async function unhealthy(
  nodes: readonly NodeProcess[],
  replicas: boolean,
): Promise<string | undefined> {
  const ports = new Set(nodes.map((node) => node.port));
  for (const node of nodes) {
    const problem = await onNode(node.port, async (client) => {
      const info = await client.cluster('INFO');
      if (!String(info).includes('cluster_state:ok')) return `node ${node.port} is not ok`;
      const ranges = await client.cluster('SLOTS');
      const served = ranges.reduce((sum, [first, last, master]) => {
        return master !== undefined && ports.has(master[1]) ? sum + last - first + 1 : sum;
      }, 0);
      if (served !== 16_384)
        return `node ${node.port} sees ${16_384 - served} slots without a running master`;
      const replication = await client.info('replication');
      if (
        replicas &&
        replication.includes('role:slave') &&
        !replication.includes('master_link_status:up')
      ) {
        return `replica ${node.port} is not in sync`;
      }
      return undefined;
    });
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Runs `command` on a short-lived connection to the node on `port`. */
async function onNode<T>(port: number, command: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await command(client);
  } finally {
    client.disconnect();
  }
}

function isRunning(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

async function terminate(child: ChildProcess | undefined): Promise<void> {
  if (!isRunning(child) || child === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** `count` distinct free loopback ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
