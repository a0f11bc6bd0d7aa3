import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { childEnv, startBreakwater } from './support/breakwater-process';

// `breakwater serve` stops in bounded time on a signal, whatever its clients
// hold open, and a second signal ends it at once.

const env = childEnv({ BREAKWATER_JWT_SECRET: 'a-serve-shutdown-secret-that-is-32-characters' });
const folder = mkdtempSync(join(tmpdir(), 'breakwater-serve-shutdown-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

function config(shutdownTimeout: number): string {
  const file = join(mkdtempSync(join(folder, 'run-')), 'breakwater.yaml');
  writeFileSync(
    file,
    `services:\n  payments: {}\nstore: { type: memory }\nserver: { shutdownTimeout: ${shutdownTimeout} }\n`,
  );
  return file;
}

/** Starts serve; resolves with the process and its port once it listens. */
async function serve(shutdownTimeout: number) {
  const process = startBreakwater(
    ['serve', '--config', config(shutdownTimeout), '--port', '0', '--no-dashboard'],
    env,
  );
  const stdout = await process.until((out) => /^listening on http:\/\/\S+\n/.test(out));
  const port = Number(/^listening on http:\/\/[^:]+:(\d+)/.exec(stdout)?.[1]);
  return { process, port };
}

/** A connection that sends half a request and never the rest; `closed` settles when the server ends it. */
async function halfRequest(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => true);
  await once(socket, 'connect');
  socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
  // Answered on another connection, so the server has read the half request before the signal.
  await (await fetch(`http://127.0.0.1:${port}/api/health/circuit-breaker`)).text();
  return { closed };
}

describe('breakwater serve on a signal', () => {
  it('stops within server.shutdownTimeout while a half-sent request is held open, and exits 0', async () => {
    const { process, port } = await serve(300);
    const held = await halfRequest(port);
    process.child.kill('SIGTERM');
    const exit = await process.exit;
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(await held.closed).toBe(true);
    expect(exit.stdout).toMatch(/"msg":"stopping: a second Ctrl-C or SIGTERM exits at once"/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'exits at once on a second %s, without waiting for the shutdown',
    async (signal) => {
      // Ten minutes to shut down: only the second signal can end it within the test.
      const { process, port } = await serve(600_000);
      await halfRequest(port);
      process.child.kill(signal);
      await process.until((out) => out.includes('stopping: a second Ctrl-C or SIGTERM'));
      process.child.kill(signal);
      expect(await process.exit).toMatchObject({ code: null, signal });
    },
  );
});
