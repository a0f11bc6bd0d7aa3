import { Redis } from 'ioredis';

/** Commands the meter itself sends: left out of the counts. */
const ownCommands = new Set(['info', 'dbsize', 'cluster']);

/** One node's counters at one moment. */
interface NodeSample {
  readonly at: number;
  readonly commands: ReadonlyMap<string, number>;
  /** used_cpu_sys + used_cpu_user, seconds. */
  readonly cpuSeconds: number;
  readonly usedMemory: number;
  readonly datasetMemory: number;
  /** Memory of normal clients (their output buffers: pub/sub backlog shows here). */
  readonly clientMemory: number;
  readonly keys: number;
  readonly netIn: number;
  readonly netOut: number;
  readonly clients: number;
  /** The largest output buffer of any client lately (a subscriber that reads too slowly shows here). */
  readonly largestOutputBuffer: number;
  readonly connectionsReceived: number;
  /** Cluster bus messages that carried a PUBLISH to another node (0 on one server). */
  readonly busPublishes: number;
}

/** What one node did between two samples. */
export interface NodeWindow {
  readonly port: number;
  readonly seconds: number;
  /** Commands by name, those run inside scripts included (INFO counts both). */
  readonly commands: Readonly<Record<string, number>>;
  readonly commandsPerSecond: number;
  /** EVALSHA / EVAL calls a second: the round trips the instances made for scripts. */
  readonly scriptCallsPerSecond: number;
  readonly publishesPerSecond: number;
  /** Redis CPU ÷ wall time (1 = one core; the main thread can use at most about 1). */
  readonly cpu: number;
  readonly usedMemory: number;
  readonly datasetMemory: number;
  readonly clientMemory: number;
  readonly keys: number;
  readonly netInPerSecond: number;
  readonly netOutPerSecond: number;
  readonly clients: number;
  readonly largestOutputBuffer: number;
  /** Connections accepted in the window: reconnections, e.g. of a subscriber cut off by its buffer limit. */
  readonly newConnections: number;
  readonly busPublishesPerSecond: number;
}

/** INFO counters of every node given (one server, or a cluster's masters). */
export class RedisMeter {
  readonly #nodes: ReadonlyArray<{ readonly port: number; readonly client: Redis }>;
  readonly #cluster: boolean;

  constructor(ports: readonly number[], cluster: boolean) {
    this.#nodes = ports.map((port) => ({ port, client: new Redis(port, '127.0.0.1') }));
    this.#cluster = cluster;
  }

  async sample(): Promise<NodeSample[]> {
    return Promise.all(this.#nodes.map(({ client }) => this.#sampleNode(client)));
  }

  /** Per node: what happened from `before` to `after` (samples of this meter). */
  between(before: readonly NodeSample[], after: readonly NodeSample[]): NodeWindow[] {
    return this.#nodes.map(({ port }, index) => {
      const first = before[index];
      const last = after[index];
      if (first === undefined || last === undefined) throw new Error('samples of another meter');
      return nodeWindow(port, first, last);
    });
  }

  /** `MEMORY USAGE key` from the node that holds it (0 when none does). */
  async memoryOf(key: string): Promise<number> {
    for (const { client } of this.#nodes) {
      const bytes = await client.memory('USAGE', key).catch(() => null);
      if (typeof bytes === 'number') return bytes;
    }
    return 0;
  }

  close(): void {
    for (const { client } of this.#nodes) client.disconnect();
  }

  async #sampleNode(client: Redis): Promise<NodeSample> {
    const text = await client.info('all');
    const keys = await client.dbsize();
    const busPublishes = this.#cluster
      ? field(String(await client.cluster('INFO')), 'cluster_stats_messages_publish_sent')
      : 0;
    const usedMemory = field(text, 'used_memory');
    const dataset = field(text, 'used_memory_dataset');
    const commands = new Map<string, number>();
    for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      commands.set(match[1] ?? '', Number(match[2]));
    }
    return {
      at: performance.now(),
      commands,
      cpuSeconds: field(text, 'used_cpu_sys') + field(text, 'used_cpu_user'),
      usedMemory,
      // Redis 7.0 reports a wrapped-around dataset size when its overhead exceeds used memory.
      datasetMemory: dataset <= usedMemory ? dataset : Number.NaN,
      clientMemory: field(text, 'mem_clients_normal'),
      keys,
      netIn: field(text, 'total_net_input_bytes'),
      netOut: field(text, 'total_net_output_bytes'),
      clients: field(text, 'connected_clients'),
      largestOutputBuffer: field(text, 'client_recent_max_output_buffer'),
      connectionsReceived: field(text, 'total_connections_received'),
      busPublishes,
    };
  }
}

function nodeWindow(port: number, first: NodeSample, last: NodeSample): NodeWindow {
  const seconds = (last.at - first.at) / 1000;
  const commands: Record<string, number> = {};
  for (const [name, calls] of last.commands) {
    const delta = calls - (first.commands.get(name) ?? 0);
    if (delta > 0 && !ownCommands.has(name)) commands[name] = delta;
  }
  const total = Object.values(commands).reduce((sum, calls) => sum + calls, 0);
  const rate = (delta: number) => delta / seconds;
  return {
    port,
    seconds,
    commands,
    commandsPerSecond: rate(total),
    scriptCallsPerSecond: rate((commands.evalsha ?? 0) + (commands.eval ?? 0)),
    publishesPerSecond: rate(commands.publish ?? 0),
    cpu: rate(last.cpuSeconds - first.cpuSeconds),
    usedMemory: last.usedMemory,
    datasetMemory: last.datasetMemory,
    clientMemory: last.clientMemory,
    keys: last.keys,
    netInPerSecond: rate(last.netIn - first.netIn),
    netOutPerSecond: rate(last.netOut - first.netOut),
    clients: last.clients,
    largestOutputBuffer: last.largestOutputBuffer,
    newConnections: last.connectionsReceived - first.connectionsReceived,
    busPublishesPerSecond: rate(last.busPublishes - first.busPublishes),
  };
}

/** A numeric `name:value` line of INFO (0 when absent). */
function field(text: string, name: string): number {
  const match = text.match(new RegExp(`^${name}:([\\d.]+)`, 'm'));
  return match === null ? 0 : Number(match[1]);
}
