import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'vitest';

// A private redis-server for tests and benchmarks that stop, kill or count
// commands on Redis: the shared one on 6379 is never touched that way.

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server at once (SIGKILL), as a crash or a network cut would look. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing on disk). */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** Whether a `redis-server` binary can be started here. */
export async function canStartRedisServer(): Promise<boolean> {
  const child = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  child.on('error', () => {});
  const [code] = (await once(child, 'exit').catch(() => [1])) as [number | null];
  return code === 0;
}

const serverAvailable = await canStartRedisServer();
let warned = false;

/**
 * `describe(name, fn)` when a private `redis-server` can be started. Otherwise
 * skipped with one warning, or in CI (CI=true) a suite with one failing test
 * that says why: the same rule as `describeWithRedis`.
 */
export function describeWithRedisServer(name: string, fn: () => void): void {
  const reason = 'no redis-server binary to start a private Redis with';
  if (serverAvailable) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server in CI', () => {
        throw new Error(`redis-server is required in CI (CI=true): ${reason}`);
      });
    });
  } else {
    if (!warned) console.warn(`Skipping private-Redis tests: ${reason}`);
    warned = true;
    describe.skip(name, fn);
  }
}

/** Starts `redis-server` on a free loopback port, without persistence; resolves once it accepts connections. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      await terminate(child, 'SIGKILL');
    },
    async restart() {
      await terminate(child, 'SIGKILL');
      child = await launch(port);
    },
    async stop() {
      await terminate(child, 'SIGTERM');
    },
  };
}

function launch(port: number): Promise<ChildProcess> {
  return spawnRedisServer(port, []);
}

/**
 * Spawns `redis-server` on loopback `port` without persistence, with `options`
 * added; resolves once it accepts connections, rejects if it exits first.
 */
export async function spawnRedisServer(
  port: number,
  options: readonly string[],
): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...options],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`redis-server on port ${port} exited with ${code}: ${output.slice(-500)}`)),
    );
  });
  // Keep draining its output, or a chatty server would block on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** A TCP port of 127.0.0.1 free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
