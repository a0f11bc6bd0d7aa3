import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor, signToken } from '../../src';

// What reaches the monitor over a real socket: requests Node's parser refuses,
// and a body whose Content-Length alone is refused.

const env = { BREAKWATER_JWT_SECRET: 'a-raw-http-secret-that-is-at-least-32-characters' };
let monitor: Monitor | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await monitor?.stop();
  monitor = undefined;
});

async function started(): Promise<{ port: number }> {
  const registry = new Registry({ clock: new FakeClock(), services: { payments: {} } });
  monitor = createMonitor({ registry, env });
  return monitor.start({ port: 0 });
}

/** Sends `text` on a new connection; resolves with everything the server wrote until it closed. */
async function exchange(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  socket.write(text);
  await once(socket, 'close');
  return received;
}

function parse(response: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { statusLine, headers, body: body === '' ? undefined : JSON.parse(body) };
}

describe('requests the HTTP parser refuses', () => {
  it('answers headers over the size limit with 431 and a JSON error', async () => {
    const { port } = await started();
    const response = parse(
      await exchange(
        port,
        `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      ),
    );
    expect(response.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=UTF-8',
      connection: 'close',
    });
    expect(response.body).toEqual({
      error: {
        code: 'HEADERS_TOO_LARGE',
        message:
          'The request headers are larger than the server accepts (16 KB by default): send a shorter URL, fewer or smaller headers',
      },
    });
  });

  it('answers a request that is not HTTP with 400 and a JSON error', async () => {
    const { port } = await started();
    const response = parse(await exchange(port, 'HELLO THERE\r\n\r\n'));
    expect(response.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(response.body).toEqual({
      error: { code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1' },
    });
  });
});

describe('a body announced over the limit', () => {
  it('is answered 413 from its Content-Length alone, before the body has been sent', async () => {
    const { port } = await started();
    const admin = await signToken({ sub: 'ada', role: 'admin' }, undefined, env);
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    socket.write(
      'PATCH /api/circuit-breakers/payments/config HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${admin}\r\nContent-Type: application/json\r\n` +
        'Content-Length: 10000000\r\n\r\n{"failureThreshold":',
    );
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => {});
    await once(socket, 'close');
    const response = parse(received);
    expect(response.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(response.headers.connection).toBe('close');
    expect(response.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', limit: 65_536 } });
  });
});
