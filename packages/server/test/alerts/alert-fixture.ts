import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';

export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/**
 * A real HTTP server on a free port that records every POST. `answer` picks
 * each response's status by request number (0-based); undefined = never answer.
 */
export async function startReceiver(answer: (index: number) => number | undefined = () => 200) {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = requests.length;
      requests.push({
        method: request.method,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const status = answer(index);
      if (status !== undefined) response.writeHead(status).end();
      for (const waiter of waiters.filter((entry) => requests.length >= entry.count))
        waiter.resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-path`,
    requests,
    /** Resolves once `count` requests have arrived. */
    received(count: number): Promise<void> {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A log sink that can be waited on. */
export function logSink() {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const matching = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
  return {
    lines,
    log(line: string): void {
      lines.push(line);
      for (const waiter of waiters.filter((entry) => matching(entry.pattern) >= entry.count))
        waiter.resolve();
    },
    /** Resolves once `count` lines match `pattern`. */
    logged(pattern: RegExp, count = 1): Promise<void> {
      if (matching(pattern) >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pattern, count, resolve }));
    },
    count: matching,
  };
}

/** `database` opens after 2 failures, for 1 s; `market-data` and `checkout` depend on it. */
export function alertRegistry(maxRecoveryAttempts = 3) {
  const clock = new FakeClock();
  const registry = new Registry({
    clock,
    services: {
      database: {
        failureThreshold: 2,
        resetTimeout: 1_000,
        successThreshold: 1,
        backoffMultiplier: 1,
        maxRecoveryAttempts,
      },
      'market-data': { dependsOn: ['database'] },
      checkout: { dependsOn: ['market-data'] },
    },
  });
  const database = registry.breaker('database');
  const fail = () =>
    database
      .execute(async () => {
        throw new Error('database down');
      })
      .catch(() => undefined);
  const succeed = () => database.execute(async () => 'ok').catch(() => undefined);
  return {
    clock,
    registry,
    database,
    /** closed → open */
    async trip(): Promise<void> {
      await fail();
      await fail();
    },
    /** open → half-open → open (waits out the open period first). */
    async failRecovery(): Promise<void> {
      clock.advance(1_000);
      await fail();
    },
    /** open → half-open → closed. */
    async recover(): Promise<void> {
      clock.advance(1_000);
      await succeed();
    },
  };
}
