import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  env,
  fuzzRuns,
  startFuzzMonitor,
  timeoutFor,
  useFuzzMonitor,
} from './support/fuzz-monitor';
import { send } from './support/http-exchange';

// Forged, tampered, expired and oversized tokens, over the HTTP API and the
// WebSocket stream (in the URL and as the subprotocol): every one refused
// with 401 / 4001, the monitor unharmed; and an address that keeps trying is
// turned away with 429 once it used up its failed authentications.

const secret = new TextEncoder().encode(env.BREAKWATER_JWT_SECRET);
const runs = fuzzRuns(100);
const monitor = useFuzzMonitor({ warnings: 'expected' });

const base64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** An HS256 token with exactly these claims, signed with `key` (the server's secret by default). */
function signed(
  claims: Record<string, unknown>,
  alg = 'HS256',
  key: Uint8Array | CryptoKey = secret,
) {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
}

/** Replaces one segment of a token, keeping the other two as they were. */
function withSegment(token: string, index: number, json: Record<string, unknown>): string {
  const parts = token.split('.');
  parts[index] = base64url(JSON.stringify(json));
  return parts.join('.');
}

async function attacks(): Promise<Array<[string, string]>> {
  const good = { sub: 'mallory', role: 'viewer', exp: inAnHour() };
  const viewer = await signed(good);
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return [
    [
      'alg none',
      `${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify({ ...good, role: 'admin' }))}.`,
    ],
    ['alg none with the signature kept', withSegment(viewer, 0, { alg: 'none' })],
    ['HS512 with the right secret', await signed(good, 'HS512')],
    ['RS256 from a key of its own', await signed(good, 'RS256', privateKey)],
    [
      'HS256 with another secret',
      await signed(good, 'HS256', new TextEncoder().encode('x'.repeat(48))),
    ],
    ['expired', await signed({ ...good, iat: now - 7200, exp: now - 3600 })],
    ['not valid yet (nbf)', await signed({ ...good, nbf: now + 600 })],
    ['no sub', await signed({ role: 'viewer', exp: inAnHour() })],
    ['no role', await signed({ sub: 'mallory', exp: inAnHour() })],
    ['no exp', await signed({ sub: 'mallory', role: 'viewer' })],
    ['a role that is not one', await signed({ ...good, role: 'root' })],
    ['a role that is an array', await signed({ ...good, role: ['admin'] })],
    [
      'viewer made admin (payload altered, signature kept)',
      withSegment(viewer, 1, { ...good, role: 'admin' }),
    ],
    ['a lifetime of a year', await signed({ ...good, iat: now, exp: now + 365 * 86_400 })],
    [
      'enormous (12 KB claim)',
      await signed(
        { ...good, pad: 'p'.repeat(12_000) },
        'HS256',
        new TextEncoder().encode('y'.repeat(48)),
      ),
    ],
    ['three dots', '...'],
    ['not base64', 'ä.ö.ü'.replace(/[^\x21-\x7e]/g, '!')],
  ];
}

/** How a WebSocket upgrade with these credentials ends: the first message and the close code, or the HTTP answer. */
function connectWith(url: string, protocol: string | undefined) {
  return new Promise<{ close?: number; error?: unknown; status?: number; opened?: boolean }>(
    (resolve) => {
      const socket = new WebSocket(url, protocol === undefined ? [] : [protocol]);
      let first: unknown;
      socket.on('error', () => {});
      socket.on('message', (data) => {
        first ??= JSON.parse(String(data));
        const message = first as { type?: string };
        if (message.type === 'connection:status') {
          socket.close();
          resolve({ opened: true });
        }
      });
      socket.on('close', (code) => resolve({ close: code, error: first }));
      socket.on('unexpected-response', (_request, response: IncomingMessage) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      });
    },
  );
}

async function expectRefused(token: string) {
  const answer = await send(monitor().port, {
    method: 'GET',
    path: '/api/circuit-breakers/health',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(answer.status).toBe(401);
  const body = JSON.parse(answer.body.toString()) as { error: { code: string; message: string } };
  expect(['UNAUTHORIZED', 'TOKEN_EXPIRED']).toContain(body.error.code);
  expect(body.error.message).not.toContain(token.slice(-20)); // never echoed
  expect(answer.headers['www-authenticate']).toBe('Bearer');
  const refusedInBand = {
    close: 4001,
    error: expect.objectContaining({ type: 'error', code: 4001, message: 'Authentication failed' }),
  };
  expect(await connectWith(monitor().wsUrl, token)).toEqual(refusedInBand);
  expect(
    await connectWith(`${monitor().wsUrl}?token=${encodeURIComponent(token)}`, undefined),
  ).toEqual(refusedInBand);
}

describe('forged and broken tokens', () => {
  it('are refused with 401 over HTTP and 4001 over WebSocket, in the URL and as the subprotocol', async () => {
    for (const [name, token] of await attacks()) {
      await expectRefused(token).catch((error: Error) => {
        error.message = `${name}: ${error.message}`;
        throw error;
      });
    }
    await monitor().bystanderReceives();
  });

  it('a token too big for the request headers gets 431 with a JSON error, the stream too', async () => {
    const huge = `${'a'.repeat(20_000)}.b.c`;
    const answer = await send(monitor().port, {
      method: 'GET',
      path: '/api/circuit-breakers/health',
      headers: { authorization: `Bearer ${huge}` },
    });
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body.toString()).error.code).toBe('HEADERS_TOO_LARGE');
    expect(await connectWith(monitor().wsUrl, huge)).toEqual({ status: 431 });
    expect(await connectWith(`${monitor().wsUrl}?token=${huge}`, undefined)).toEqual({
      status: 431,
    });
    await monitor().bystanderReceives();
  });

  it('?token= wins over the subprotocol: a bad one in the URL is refused, a good one accepted', async () => {
    const forged = withSegment(monitor().tokens.viewer, 1, {
      sub: 'x',
      role: 'admin',
      exp: inAnHour(),
    });
    expect(
      await connectWith(`${monitor().wsUrl}?token=${forged}`, monitor().tokens.viewer),
    ).toMatchObject({
      close: 4001,
    });
    expect(
      await connectWith(`${monitor().wsUrl}?token=${monitor().tokens.viewer}`, forged),
    ).toEqual({
      opened: true,
    });
  });

  it(
    'a good token with any one byte of it changed is refused',
    async () => {
      const token = monitor().tokens.admin;
      const segments = token.split('.').map((part) => Buffer.from(part, 'base64url'));
      const tampering = fc
        .integer({ min: 0, max: 2 })
        .chain((segment) =>
          fc.tuple(
            fc.constant(segment),
            fc.nat({ max: (segments[segment]?.length ?? 1) - 1 }),
            fc.integer({ min: 1, max: 255 }),
          ),
        );
      await fc.assert(
        fc.asyncProperty(tampering, async ([segment, index, flip]) => {
          const changed = segments.map((bytes) => Buffer.from(bytes));
          const target = changed[segment] as Buffer;
          target[index] = (target[index] ?? 0) ^ flip;
          const forged = changed.map((bytes) => bytes.toString('base64url')).join('.');
          const answer = await send(monitor().port, {
            method: 'GET',
            path: '/api/circuit-breakers/health',
            headers: { authorization: `Bearer ${forged}` },
          });
          expect(answer.status).toBe(401);
        }),
        { numRuns: runs },
      );
      await monitor().bystanderReceives();
    },
    timeoutFor(runs),
  );
});

describe('an address that keeps presenting bad tokens', () => {
  it('is answered 429 with Retry-After after authFailuresPerMinute of them, over HTTP and WebSocket, good token or not', async () => {
    const limited = await startFuzzMonitor({ authFailuresPerMinute: 5 });
    try {
      const bad = `${monitor().tokens.admin.slice(0, -4)}AAAA`;
      const health = (token: string) =>
        send(limited.port, {
          method: 'GET',
          path: '/api/circuit-breakers/health',
          headers: { authorization: `Bearer ${token}` },
        });
      for (let attempt = 0; attempt < 3; attempt++) expect((await health(bad)).status).toBe(401);
      expect(await connectWith(limited.wsUrl, bad)).toMatchObject({ close: 4001 });
      expect(await connectWith(`${limited.wsUrl}?token=${bad}`, undefined)).toMatchObject({
        close: 4001,
      });
      // Five failures used up: even the admin's own token waits now.
      const refused = await health(limited.tokens.admin);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body.toString()).error.code).toBe('TOO_MANY_REQUESTS');
      expect(await connectWith(limited.wsUrl, limited.tokens.viewer)).toEqual({ status: 429 });
      // Public routes are never limited, and the bystander, connected before, keeps receiving.
      const open = await send(limited.port, {
        method: 'GET',
        path: '/api/health/circuit-breaker',
        headers: {},
      });
      expect(open.status).toBe(200);
      await limited.bystanderReceives();
      expect(limited.logged).toEqual([
        expect.stringMatching(
          /^refused a request from 127\.0\.0\.1 this minute: over 5 failed authentications/,
        ),
      ]);
    } finally {
      await limited.stop();
    }
  });
});
