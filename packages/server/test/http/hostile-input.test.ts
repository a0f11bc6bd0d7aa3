import { Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/http/json-body';
import { createAuthenticator, createHttpApi } from '../../src/index';
import { bearer, fixture, token } from './fixture';

interface ErrorJson {
  error: { code: string; message: string } & Record<string, unknown>;
}

const configPath = '/api/circuit-breakers/payments/config';

/** A body of `total` bytes in `chunk`-byte pieces that counts how much of it was read. */
function countedBody(total: number, chunk = 16_384) {
  const read = { bytes: 0 };
  const piece = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (read.bytes >= total) {
          controller.close();
          return;
        }
        read.bytes += piece.byteLength;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 }, // nothing is pulled before somebody reads
  );
  return { stream, read };
}

async function patch(app: ReturnType<typeof fixture>['app'], init: RequestInit) {
  const admin = bearer(await token('ada', 'admin'));
  return app.request(configPath, {
    method: 'PATCH',
    ...init,
    headers: { ...admin, 'content-type': 'application/json', ...init.headers },
  });
}

describe('request bodies over the limit', () => {
  it('answers 413 from Content-Length before reading any of it, and closes the connection', async () => {
    const { app, registry } = fixture();
    const { stream, read } = countedBody(10_000_000);
    const response = await patch(app, {
      body: stream,
      headers: { 'content-length': '10000000' },
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message:
          "The request body is larger than 65536 bytes, the monitor's limit (server.maxBodyBytes)",
        limit: 65_536,
      },
    });
    expect(read.bytes).toBe(0);
    expect(await registry.audit()).toEqual([]);
  });

  it('stops reading a chunked body (no Content-Length) as soon as it goes over the limit', async () => {
    const { app } = fixture();
    const { stream, read } = countedBody(10_000_000);
    const response = await patch(app, { body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    // The limit, plus the one chunk that went over it.
    expect(read.bytes).toBeLessThanOrEqual(65_536 + 16_384);
  });

  it('takes a body up to the limit, and a limit of its own (maxBodyBytes)', async () => {
    const { registry } = fixture();
    const authenticator = createAuthenticator(
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' },
    );
    const app = createHttpApi({ registry, authenticator, maxBodyBytes: 32 });
    const small = '{"failureThreshold":3}';
    expect((await patch(app, { body: small })).status).toBe(200);
    const padded = `{"failureThreshold":3${' '.repeat(33 - small.length)}}`;
    expect(padded).toHaveLength(33);
    const refused = await patch(app, { body: padded });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as ErrorJson).error.limit).toBe(32);
  });

  it('refuses a bad maxBodyBytes when the API is created', () => {
    const { registry } = fixture();
    const authenticator = createAuthenticator(
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' },
    );
    expect(() => createHttpApi({ registry, authenticator, maxBodyBytes: 0 })).toThrow(
      "Invalid option 'maxBodyBytes': 0 (expected a size in bytes, an integer >= 1)",
    );
  });
});

describe('a refused value is never echoed or stored in full', () => {
  it('answers 400 with at most 200 characters of a huge bad value, and audits an excerpt', async () => {
    const { app, registry } = fixture();
    const value = 'x'.repeat(60_000);
    const response = await patch(app, { body: JSON.stringify({ failureThreshold: value }) });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(1_000);
    const body = JSON.parse(text) as ErrorJson;
    expect(body.error).toMatchObject({
      code: 'BW_INVALID_CONFIG',
      option: 'failureThreshold',
      expected: 'an integer >= 1',
    });
    expect(body.error.message).toMatch(/^Invalid option 'failureThreshold': "x+… \(expected/);
    expect(body.error.value).toBe(`${'x'.repeat(199)}…`);

    const [entry] = await registry.audit();
    expect(entry?.outcome).toMatch(/^refused: Invalid option 'failureThreshold'/);
    expect(JSON.stringify(entry).length).toBeLessThan(2_500);
  });

  it('shows an object value as an excerpt of its JSON when it is long, as it is when short', async () => {
    const { app } = fixture();
    const long = await patch(app, {
      body: JSON.stringify({ slidingWindow: { type: 'count', size: 5, pad: 'p'.repeat(5_000) } }),
    });
    const shown = ((await long.json()) as ErrorJson).error;
    expect(shown.option).toBe('slidingWindow.pad');
    expect(shown.value).toBe(`${'p'.repeat(199)}…`);
    const short = await patch(app, { body: JSON.stringify({ failureThreshold: { a: [1] } }) });
    expect(((await short.json()) as ErrorJson).error.value).toEqual({ a: [1] });
  });

  it('names at most 200 characters of an unknown service from the URL', async () => {
    const { app } = fixture();
    const name = 'n'.repeat(5_000);
    const response = await app.request(`/api/circuit-breakers/${name}`, {
      headers: bearer(await token('ada', 'viewer')),
    });
    expect(response.status).toBe(404);
    const { error } = (await response.json()) as ErrorJson;
    expect(error.service).toBe(`${'n'.repeat(199)}…`);
    expect(error.message).toHaveLength("Unknown service ''".length + 200);
  });

  it('names at most 200 characters of an unknown path', async () => {
    const { app } = fixture();
    const response = await app.request(`/${'q'.repeat(5_000)}`);
    expect(response.status).toBe(404);
    const { error } = (await response.json()) as ErrorJson;
    expect(error.message).toBe(`No route GET /${'q'.repeat(198)}…`);
  });
});

describe('deeply nested JSON', () => {
  it('answers 400 to 100 000 levels of arrays, naming the limit, and changes nothing', async () => {
    const { app, registry } = fixture();
    const deep = `{"failureThreshold":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    // 200 KB: over the default body limit, refused before it is parsed at all…
    const refused = await patch(app, { body: deep });
    expect(refused.status).toBe(413);
    // …and with room for it, refused for its depth.
    const authenticator = createAuthenticator(
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' },
    );
    const roomy = createHttpApi({ registry, authenticator, maxBodyBytes: 1_000_000 });
    const response = await patch(roomy, { body: deep });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'INVALID_JSON',
        message: 'The request body nests arrays or objects deeper than 64 levels',
      },
    });
    const within = `{"failureThreshold":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
    expect((await patch(app, { body: within })).status).toBe(400);
    expect(registry.breaker('payments').options.failureThreshold).toBe(5);
    expect(await registry.audit()).toEqual([]);
  });

  it('answers 400 to 10 000 levels of objects, within the default body limit', async () => {
    const { app } = fixture();
    const response = await patch(app, {
      body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorJson).error.code).toBe('INVALID_JSON');
  });

  it('counts only brackets outside strings, with escapes', () => {
    expect(nestsDeeperThan('[[1]]', 2)).toBe(false);
    expect(nestsDeeperThan('[[[1]]]', 2)).toBe(true);
    expect(nestsDeeperThan('["[[[[", "\\"[[[["]', 2)).toBe(false);
    expect(nestsDeeperThan('[{"a":[]}, {"b":{}}]', 3)).toBe(false);
    expect(nestsDeeperThan('[{"a":[{}]}]', 3)).toBe(true);
  });
});

describe('methods a route does not take', () => {
  it('answer 405 with Allow listing the methods it takes, not 404', async () => {
    const { app } = fixture();
    const admin = bearer(await token('ada', 'admin'));
    const cases = [
      ['DELETE', '/api/circuit-breakers/payments', 'GET, HEAD'],
      ['PUT', '/api/circuit-breakers/payments/config', 'PATCH'],
      ['GET', '/api/circuit-breakers/payments/reset', 'POST'],
      ['POST', '/metrics', 'GET, HEAD'],
    ] as const;
    for (const [method, path, allow] of cases) {
      const response = await app.request(path, { method, headers: admin });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(await response.json()).toEqual({
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `${method} is not allowed on ${path}: use ${allow}`,
        },
      });
    }
  });

  it('still answer 404 for a path no method takes, and for an unknown service', async () => {
    const { app } = fixture();
    expect((await app.request('/api/nope', { method: 'DELETE' })).status).toBe(404);
    const unknown = await app.request('/api/circuit-breakers/nope', {
      headers: bearer(await token('ada', 'viewer')),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('allow')).toBeNull();
  });
});

describe('answers of 500', () => {
  it('name the request and the class of the error, and report its stack to the log', async () => {
    const lines: string[] = [];
    const registry = new Registry({ clock: new FakeClock(), services: { payments: {} } });
    const authenticator = createAuthenticator(
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: 'http-test-secret-that-is-long-enough-42' },
    );
    const app = createHttpApi({ registry, authenticator, log: (line) => lines.push(line) });
    registry.audit = () => Promise.reject(new TypeError('cannot read the journal at /var/x'));
    const response = await app.request('/api/audit', {
      headers: bearer(await token('ada', 'admin')),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: {
        code: 'INTERNAL_ERROR',
        message:
          "Unexpected TypeError while serving GET /api/audit; the monitor's log has the details",
      },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^monitor: GET \/api\/audit failed: TypeError: cannot read the journal at \/var\/x\n\s+at /,
    );
  });
});
