import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { closeCodes } from '@breakwater/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RequestLimits } from '../../src/auth/request-limits';
import { attachCircuitBreakerStream, type Principal } from '../../src/ws/index';

const authenticate = async (token: string): Promise<Principal> => {
  if (token !== 'good-token') throw new Error('bad token');
  return { sub: 'alice', role: 'viewer' };
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(limits: RequestLimits) {
  const registry = new Registry({ services: { db: {} } });
  const server = createServer((_, response) => response.writeHead(404).end());
  const stream = attachCircuitBreakerStream(server, { registry, authenticate, limits });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    await stream.close();
    server.close();
    await once(server, 'close');
  });
  const { port } = server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/api/v2/ws/circuit-breaker`;
}

/** How an upgrade with `token` ends: the close code the stream sent, or the HTTP answer instead of one. */
function upgrade(url: string, token: string) {
  return new Promise<{ close?: number; status?: number; retryAfter?: string; body?: string }>(
    (resolve) => {
      const socket = new WebSocket(url, token);
      socket.on('error', () => {});
      socket.on('close', (code) => resolve({ close: code }));
      socket.on('unexpected-response', (_request, response: IncomingMessage) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: String(response.headers['retry-after']),
            body,
          }),
        );
      });
      socket.on('open', () => socket.close());
    },
  );
}

describe('the WebSocket upgrade counts failed authentication per address', () => {
  it('answers 429 with Retry-After once the address used up its failures, until its minute ends', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const limits = new RequestLimits({
      clock,
      authFailuresPerMinute: 3,
      report: (line) => lines.push(line),
    });
    const url = await start(limits);
    for (let i = 0; i < 3; i++) {
      expect(await upgrade(url, 'guess')).toEqual({ close: closeCodes.unauthorized });
    }
    clock.advance(30_000);
    const refused = await upgrade(url, 'good-token');
    expect(refused).toMatchObject({ status: 429, retryAfter: '30' });
    expect(JSON.parse(refused.body ?? '')).toMatchObject({
      error: { code: 'TOO_MANY_REQUESTS', retryAfter: 30 },
    });
    expect(lines).toEqual([expect.stringMatching(/^refused a request from 127\.0\.0\.1 /)]);

    clock.advance(30_000);
    expect(await upgrade(url, 'good-token')).toEqual({ close: 1005 });
  });

  it('shares the budget with the HTTP API when given the same limits', async () => {
    const clock = new FakeClock();
    const limits = new RequestLimits({ clock, authFailuresPerMinute: 1, report: () => {} });
    limits.authenticationFailed('127.0.0.1'); // a bad token on the HTTP API
    const url = await start(limits);
    expect(await upgrade(url, 'good-token')).toMatchObject({ status: 429 });
  });
});
