import { once } from 'node:events';
import { connect } from 'node:net';
import { Registry } from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor, signToken } from '../src';

// Requests the fuzz of tests/fuzz found answered without the API's JSON
// error, or (`//`) bringing the monitor down.

const env = { BREAKWATER_JWT_SECRET: 'a-fuzz-regression-secret-of-at-least-32-chars' };
let monitor: Monitor | undefined;

afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

async function started(): Promise<number> {
  const registry = new Registry({ services: { payments: {} } });
  monitor = createMonitor({ registry, env });
  return (await monitor.start({ port: 0 })).port;
}

/** Sends `text` on a connection of its own; resolves with everything written back until the server closed it. */
async function exchange(port: number, text: string) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  socket.write(text);
  await once(socket, 'close');
  const [head = '', body = ''] = received.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { statusLine, headers, body: body === '' ? undefined : JSON.parse(body) };
}

function upgrade(target: string, method = 'GET', extra = '') {
  return (
    `${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

describe('requests that were answered without a JSON error', () => {
  it('a target that makes no URL (`*`) is a 400 BAD_REQUEST', async () => {
    const port = await started();
    const answer = await exchange(port, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.body).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message: 'The request target or Host header does not make a URL the monitor can serve',
      },
    });
  });

  it('an upgrade to a path with no stream is a 404 NOT_FOUND naming where the stream is', async () => {
    const port = await started();
    const answer = await exchange(port, upgrade('/nope'));
    expect(answer.statusLine).toBe('HTTP/1.1 404 Not Found');
    expect(answer.body).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'No WebSocket stream at /nope: it is at /api/v2/ws/circuit-breaker',
      },
    });
  });

  it('an upgrade to `//` is a 404, and the monitor stays up (it threw in the upgrade listener)', async () => {
    const port = await started();
    for (const target of ['//', '/\\', '///api/v2/ws/circuit-breaker']) {
      const answer = await exchange(port, upgrade(target));
      expect(answer.statusLine).toBe('HTTP/1.1 404 Not Found');
      expect(answer.body.error.code).toBe('NOT_FOUND');
    }
    const health = await fetch(`http://127.0.0.1:${port}/api/health/circuit-breaker`);
    expect(health.status).toBe(200);
  });

  it('a handshake ws refuses is a 400 naming what is wrong, and one that is not a GET a 405', async () => {
    const port = await started();
    const token = await signToken({ sub: 'ada', role: 'viewer' }, undefined, env);
    const badList = await exchange(
      port,
      upgrade('/api/v2/ws/circuit-breaker', 'GET', `Sec-WebSocket-Protocol: ${token},,x\r\n`),
    );
    expect(badList.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(badList.body).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message: 'Not a valid WebSocket upgrade: Invalid Sec-WebSocket-Protocol header',
      },
    });
    const posted = await exchange(port, upgrade('/api/v2/ws/circuit-breaker', 'POST'));
    expect(posted.statusLine).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(posted.headers.allow).toBe('GET');
    expect(posted.body).toEqual({
      error: {
        code: 'METHOD_NOT_ALLOWED',
        message: 'POST is not allowed on /api/v2/ws/circuit-breaker: use GET',
      },
    });
  });
});
