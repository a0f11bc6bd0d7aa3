import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, services, timeoutFor, useFuzzMonitor } from './support/fuzz-monitor';
import {
  binary,
  hostileText,
  invalidUtf8,
  nested,
  oversize,
  serviceName,
} from './support/hostile-payloads';
import { type Answer, send, sendRaw } from './support/http-exchange';

// Random and malformed requests to every route of a real monitor on a real
// socket: wrong methods, odd paths and queries, bodies of every wrong shape
// and size, bad Content-Types and headers, requests Node's client would
// never write, and WebSocket upgrades gone wrong. However bad the request,
// the answer is a 4xx with a JSON error naming the problem (or a 2xx), never
// a 5xx, nothing is logged, and a WebSocket client keeps receiving updates.

const maxBodyBytes = 65_536;
const runs = fuzzRuns(200);
// A 500 would be logged with its stack: none may happen.
const monitor = useFuzzMonitor();

/** The API's routes (docs/http-api.md), `:name` standing for a service name. */
const routes = [
  ['GET', '/api/health/circuit-breaker'],
  ['GET', '/metrics'],
  ['GET', '/api/circuit-breakers/health'],
  ['GET', '/api/circuit-breakers/:name'],
  ['GET', '/api/circuit-breakers/:name/history'],
  ['GET', '/api/circuit-breakers/:name/transitions'],
  ['POST', '/api/circuit-breakers/reset'],
  ['POST', '/api/circuit-breakers/:name/reset'],
  ['POST', '/api/circuit-breakers/:name/force-open'],
  ['POST', '/api/circuit-breakers/:name/disable'],
  ['POST', '/api/circuit-breakers/:name/release'],
  ['PATCH', '/api/circuit-breakers/:name/config'],
  ['GET', '/api/audit'],
  ['GET', '/api/fleet'],
  ['GET', '/api/v2/ws/circuit-breaker'],
  ['GET', '/'],
] as const;

const methods = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'M-SEARCH',
  'PURGE',
  'QUERY',
  'FOO',
  'get',
];

/** Every byte of `text` as UTF-8 percent-encoded (a lone surrogate as U+FFFD). */
function percentEncoded(text: string): string {
  return [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** A path segment: a name percent-encoded, or raw bytes 0x21–0xFF (invalid UTF-8 and bad escapes included). */
const segment = fc.oneof(
  serviceName.map((name) => percentEncoded(name)),
  fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AF',
    '%00',
    '..',
    '%2e%2e',
    '%2F',
    '%FF%FE',
    '.',
    '~',
  ),
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0xff }).map((code) => String.fromCharCode(code)),
    maxLength: 30,
  }),
);

const hostileValue = fc.oneof(
  fc.constantFrom('-1', '0', '1e999', 'NaN', '', '%ff', '9007199254740993', '2026-13-45T99:99Z'),
  fc.integer().map(String),
  fc.string({ maxLength: 20 }).map((text) => percentEncoded(text)),
  segment,
);

const query = fc
  .array(
    fc.tuple(fc.constantFrom('service', 'limit', 'since', 'before', 'token', 'x'), hostileValue),
    {
      maxLength: 3,
    },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

const path = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(...routes), segment, query), weight: 4 },
  {
    arbitrary: fc.tuple(fc.constant(['GET', '/:name'] as const), segment, query),
    weight: 1,
  },
);

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('admin', 'viewer', 'garbage', 'basic', 'huge', 'twice'),
);

const contentType = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-16',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    '',
  ),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    maxLength: 40,
  }),
);

const body = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: hostileText.map((text) => Buffer.from(text)), weight: 6 },
  { arbitrary: invalidUtf8, weight: 1 },
  { arbitrary: binary, weight: 1 },
  { arbitrary: oversize(maxBodyBytes), weight: 1 },
  // Over the limit (refused for its size) or within it (refused for its depth).
  {
    arbitrary: fc.constantFrom(20_000, 100_000).map((depth) => Buffer.from(nested(depth))),
    weight: 1,
  },
);

const probe = fc.record({
  route: path,
  method: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.constantFrom(...methods), weight: 1 },
  ),
  authorization,
  contentType,
  body,
  chunked: fc.boolean(),
  /** A header of the client's own, sometimes big enough to pass Node's 16 KB limit. */
  extra: fc.oneof(
    fc.constant(undefined),
    fc.tuple(
      fc.constantFrom('x-fuzz', 'accept', 'accept-encoding', 'cookie', 'x-forwarded-for', 'expect'),
      fc.oneof(
        // Any byte a header value may hold (DEL and controls but tab are not allowed).
        fc.string({
          unit: fc
            .integer({ min: 0x20, max: 0xfe })
            .map((code) => String.fromCharCode(code >= 0x7f ? code + 1 : code)),
          maxLength: 60,
        }),
        fc.integer({ min: 17_000, max: 30_000 }).map((size) => 'h'.repeat(size)),
      ),
    ),
  ),
});

/** What every answer to client garbage must be: no 5xx, and a 4xx says what was wrong in JSON. */
function expectClientAnswer(answer: Answer, method: string): void {
  expect(answer.status, answer.body.toString()).toBeGreaterThanOrEqual(200);
  expect(answer.status, answer.body.toString()).toBeLessThan(500);
  if (answer.status < 400 || method === 'HEAD') return;
  expect(String(answer.headers['content-type'])).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.body.toString()) as {
    error?: { code?: unknown; message?: unknown };
  };
  expect(typeof parsed.error?.code).toBe('string');
  expect(typeof parsed.error?.message).toBe('string');
  expect(String(parsed.error?.message).length).toBeGreaterThan(0);
  expect(String(parsed.error?.message).length).toBeLessThan(600);
}

describe('random and malformed requests', () => {
  it(
    'are answered 4xx with a JSON error (or 2xx), never 5xx, on every route',
    async () => {
      await fc.assert(
        fc.asyncProperty(probe, async (p) => {
          const [[routeMethod, template], name, search] = p.route;
          // HEAD goes through the raw requests below: Node's client, reading a HEAD's answer,
          // at times reports a parse error of its own after it (the server's bytes are sound).
          const method = p.method === 'HEAD' ? 'GET' : (p.method ?? routeMethod);
          const headers: Record<string, string> = {};
          const token = p.authorization;
          if (token === 'admin' || token === 'viewer')
            headers.authorization = `Bearer ${monitor().tokens[token]}`;
          else if (token === 'garbage') headers.authorization = 'Bearer not.a.token';
          else if (token === 'basic') headers.authorization = 'Basic YWRtaW46YWRtaW4=';
          else if (token === 'huge') headers.authorization = `Bearer ${'e'.repeat(12_000)}`;
          else if (token === 'twice')
            headers.authorization = `Bearer ${monitor().tokens.admin} ${monitor().tokens.admin}`;
          if (p.contentType !== undefined) headers['content-type'] = p.contentType;
          if (p.extra !== undefined) headers[p.extra[0]] = p.extra[1];
          // `Expect: 100-continue` is only fuzzed with a body Node's client then waits to send.
          if (p.extra?.[0] === 'expect') delete headers.expect;
          const target = `${template.replace(':name', name)}${search}`;
          const answer = await send(monitor().port, {
            method,
            path: target,
            headers,
            body: p.body,
            chunked: p.chunked,
          });
          expectClientAnswer(answer, method);
          await monitor().bystanderReceives();
        }),
        { numRuns: runs },
      );
    },
    timeoutFor(runs),
  );
});

/** A header line as a broken client may write it: CTLs, no colon, folded, NUL. */
const rawHeaderLine = fc.oneof(
  fc
    .tuple(fc.constantFrom('x-a', 'host', 'accept', 'authorization'), fc.string({ maxLength: 20 }))
    .map(([name, value]) => `${name}: ${value}`),
  fc.string({
    unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)),
    maxLength: 40,
  }),
  fc.constantFrom(
    'no colon here',
    ' folded: value',
    'x-nul: a\u0000b',
    ': empty name',
    'x-bare-lf: a\nb',
  ),
);

const rawRequest = fc
  .record({
    method: fc.oneof(fc.constantFrom(...methods, 'CONNECT'), fc.string({ maxLength: 10 })),
    target: fc.oneof(
      fc.constantFrom(
        '/',
        '/metrics',
        '*',
        'http://x/api/fleet',
        '',
        '/api/circuit-breakers/payments',
        '/api/circuit-breakers/payments/force-open',
        '/api/health/circuit-breaker?service=%ff',
      ),
      fc.string({
        unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)),
        maxLength: 30,
      }),
    ),
    version: fc.constantFrom(
      'HTTP/1.1',
      'HTTP/1.0',
      'HTTP/2.0',
      'HTTP/9.9',
      'HTTX/1.1',
      '',
      'HTTP/1.1 extra',
    ),
    headers: fc.array(rawHeaderLine, { maxLength: 4 }),
  })
  .filter(({ method }) => method !== 'CONNECT') // answered by Node's 'connect' event, not the API
  .map(({ method, target, version, headers }) =>
    Buffer.from(
      `${method} ${target} ${version}\r\nHost: x\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n`,
      'latin1',
    ),
  );

/** WebSocket upgrades with a part missing or wrong, to the stream's path and to others. */
const upgradeRequest = fc
  .record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'PUT'),
    target: fc.oneof(
      fc.constantFrom(
        '/api/v2/ws/circuit-breaker',
        '/api/v2/ws/circuit-breaker?token=garbage',
        '/api/v2/ws/circuit-breaker/x',
        '/api/health/circuit-breaker',
        '/metrics',
        '/nope',
        '//',
        '///api/v2/ws/circuit-breaker',
        '/\\',
        '*',
      ),
      segment.map((s) => `/${s}`),
    ),
    upgrade: fc.constantFrom('websocket', 'WebSocket', 'h2c', 'garbage', ''),
    key: fc.constantFrom('dGhlIHNhbXBsZSBub25jZQ==', 'short', '', undefined),
    version: fc.constantFrom('13', '8', '99', 'x', undefined),
    protocol: fc.constantFrom('admin', 'viewer', 'garbage', 'a,,b', '', undefined),
  })
  .map(({ method, target, upgrade, key, version, protocol }) => {
    const lines = [
      `${method} ${target} HTTP/1.1`,
      'Host: x',
      'Connection: Upgrade',
      `Upgrade: ${upgrade}`,
    ];
    if (key !== undefined) lines.push(`Sec-WebSocket-Key: ${key}`);
    if (version !== undefined) lines.push(`Sec-WebSocket-Version: ${version}`);
    if (protocol === 'admin' || protocol === 'viewer')
      lines.push(`Sec-WebSocket-Protocol: ${monitor().tokens[protocol]}`);
    else if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
    return { bytes: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), method };
  });

describe('requests Node’s client would not send', () => {
  it(
    'malformed HTTP is answered 4xx with a JSON error, or 2xx when Node can read it',
    async () => {
      await fc.assert(
        fc.asyncProperty(rawRequest, async (bytes) => {
          const answer = await sendRaw(monitor().port, bytes);
          expect(answer, `no answer to ${JSON.stringify(bytes.toString('latin1'))}`).toBeDefined();
          if (answer !== undefined)
            expectClientAnswer(answer, bytes.toString('latin1').split(' ')[0] ?? '');
          await monitor().bystanderReceives();
        }),
        { numRuns: runs },
      );
    },
    timeoutFor(runs),
  );

  it(
    'a broken WebSocket upgrade is answered 4xx with a JSON error; a sound one switches protocols',
    async () => {
      await fc.assert(
        fc.asyncProperty(upgradeRequest, async ({ bytes, method }) => {
          const answer = await sendRaw(monitor().port, bytes);
          expect(answer, `no answer to ${JSON.stringify(bytes.toString('latin1'))}`).toBeDefined();
          if (answer !== undefined && answer.status !== 101) expectClientAnswer(answer, method);
          await monitor().bystanderReceives();
        }),
        { numRuns: runs },
      );
    },
    timeoutFor(runs),
  );
});

describe('the monitor after the fuzz', () => {
  it('still serves its routes, and the fuzzed services are what the admin routes made them', async () => {
    const answer = await send(monitor().port, {
      method: 'GET',
      path: '/api/circuit-breakers/health',
      headers: { authorization: `Bearer ${monitor().tokens.viewer}` },
    });
    expect(answer.status).toBe(200);
    const names = (
      JSON.parse(answer.body.toString()) as { breakers: { name: string }[] }
    ).breakers.map((breaker) => breaker.name);
    expect(names).toEqual([...services, 'bystander-probe']);
  });
});
