import type { AddressInfo } from 'node:net';
import type { BreakerRef, MiddlewareOptions } from '@breakwater/middleware';
import { circuitBreaker, circuitOpenErrorHandler } from '@breakwater/middleware/express';
import { circuitBreakerHooks, circuitBreakerPlugin } from '@breakwater/middleware/fastify';
import { circuitOpenResponse, withCircuitBreaker } from '@breakwater/middleware/fetch';
import express, { type ErrorRequestHandler } from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';

/** What a client saw. */
export interface Reply {
  readonly status: number;
  /** Header values by lower-case name. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

/**
 * One app with three guarded routes: `GET /status/:code` answers that status
 * with `{ status }`, `GET /throw` throws, `GET /composite` answers 200 with
 * `{ result }` of the `composite` step it was built with (a handler calling
 * breakers of its own). `calls` counts the handler runs.
 */
export interface Harness {
  get(path: string): Promise<Reply>;
  readonly calls: number;
  close(): Promise<void>;
}

/** What `GET /composite` runs: calls to inner breakers. */
export type Composite = () => Promise<unknown>;

export type HarnessFactory = (
  ref: BreakerRef,
  options?: MiddlewareOptions,
  composite?: Composite,
) => Promise<Harness>;

const noComposite: Composite = async () => null;

/** Lets callbacks queued by the response's end run (a yield: no time passes). */
function afterResponse(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function counter(): { count: number } {
  return { count: 0 };
}

async function expressHarness(
  ref: BreakerRef,
  options: MiddlewareOptions | undefined,
  composite: Composite,
  appWide: boolean,
): Promise<Harness> {
  const handled = counter();
  const app = express();
  const pending: Promise<void>[] = [];
  app.use((_request, response, next) => {
    pending.push(new Promise((resolve) => response.once('close', () => setImmediate(resolve))));
    next();
  });
  const guard = circuitBreaker(ref, options);
  if (appWide) app.use(guard);
  const guarded = appWide ? [] : [guard];
  app.get('/status/:code', ...guarded, (request, response) => {
    handled.count++;
    const status = Number(request.params.code);
    response.status(status).json({ status });
  });
  app.get('/throw', ...guarded, () => {
    handled.count++;
    throw new Error('boom');
  });
  app.get('/composite', ...guarded, async (_request, response) => {
    handled.count++;
    response.json({ result: await composite() });
  });
  app.use(circuitOpenErrorHandler());
  const onError: ErrorRequestHandler = (error: Error, _request, response, _next) => {
    response.status(500).json({ error: error.message });
  };
  app.use(onError);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    async get(path) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      const reply = {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.json(),
      };
      await Promise.all(pending.splice(0));
      return reply;
    },
    get calls() {
      return handled.count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
async function fastifyHarness(
  ref: BreakerRef,
  options: MiddlewareOptions | undefined,
  composite: Composite,
  asPlugin: boolean,
): Promise<Harness> {
  const handled = counter();
  const app = Fastify();
  const routeOptions = asPlugin ? {} : { ...circuitBreakerHooks(ref, options) };
  app.register((scope, _options, done) => {
    if (asPlugin) scope.register(circuitBreakerPlugin, { ...options, breaker: ref });
    scope.get<{ Params: { code: string } }>(
      '/status/:code',
      routeOptions,
      async (request, reply) => {
        handled.count++;
        const status = Number(request.params.code);
        return reply.code(status).send({ status });
      },
    );
    scope.get('/throw', routeOptions, async () => {
      handled.count++;
      throw new Error('boom');
    });
    scope.get('/composite', routeOptions, async () => {
      handled.count++;
      return { result: await composite() };
    });
    done();
  });
  await app.ready();
  return {
    async get(path) {
      const response = await app.inject({ method: 'GET', url: path });
      await afterResponse();
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name] = value === undefined ? undefined : String(value);
      }
      return { status: response.statusCode, headers, body: response.json() };
    },
    get calls() {
      return handled.count;
    },
    close: () => app.close(),
  };
}

/** The three routes as a plain fetch handler. */
function fetchRoutes(
  handled: { count: number },
  composite: Composite,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    handled.count++;
    if (pathname === '/throw') throw new Error('boom');
    if (pathname === '/composite') return Response.json({ result: await composite() });
    const status = Number(pathname.split('/')[2]);
    return Response.json({ status }, { status });
  };
}

async function readFetchReply(response: Response): Promise<Reply> {
  await afterResponse();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.json(),
  };
}

async function plainFetch(
  ref: BreakerRef,
  options?: MiddlewareOptions,
  composite = noComposite,
): Promise<Harness> {
  const handled = counter();
  const handler = withCircuitBreaker(ref, fetchRoutes(handled, composite), options);
  return {
    async get(path) {
      // A server would answer an error the handler throws with a 500.
      const response = await handler(new Request(`http://localhost${path}`)).catch((error: Error) =>
        Response.json({ error: error.message }, { status: 500 }),
      );
      return readFetchReply(response);
    },
    get calls() {
      return handled.count;
    },
    close: async () => {},
  };
}

async function hono(
  ref: BreakerRef,
  options?: MiddlewareOptions,
  composite = noComposite,
): Promise<Harness> {
  const handled = counter();
  const inner = new Hono();
  inner.get('/status/:code', (c) => {
    handled.count++;
    const status = Number(c.req.param('code'));
    return c.json({ status }, status as 200);
  });
  inner.get('/throw', () => {
    handled.count++;
    throw new Error('boom');
  });
  inner.get('/composite', async (c) => {
    handled.count++;
    return c.json({ result: await composite() });
  });
  // Hono answers errors inside app.fetch, so the guard never sees them thrown.
  inner.onError(
    (error, c) =>
      circuitOpenResponse(error, { forcedOpenRetryAfter: options?.forcedOpenRetryAfter }) ??
      c.json({ error: error.message }, 500),
  );
  const app = new Hono();
  app.mount('/', withCircuitBreaker(ref, inner.fetch, options));
  return {
    async get(path) {
      return readFetchReply(await app.request(path));
    },
    get calls() {
      return handled.count;
    },
    close: async () => {},
  };
}

/** Every adapter, as each is meant to be used, for the shared contract suite. */
export const harnesses: ReadonlyArray<readonly [string, HarnessFactory]> = [
  [
    'express (per route, real server)',
    (ref, options, composite = noComposite) => expressHarness(ref, options, composite, false),
  ],
  [
    'express (app-wide, real server)',
    (ref, options, composite = noComposite) => expressHarness(ref, options, composite, true),
  ],
  [
    'fastify (route hooks, inject)',
    (ref, options, composite = noComposite) => fastifyHarness(ref, options, composite, false),
  ],
  [
    'fastify (plugin, inject)',
    (ref, options, composite = noComposite) => fastifyHarness(ref, options, composite, true),
  ],
  ['fetch (plain handler)', plainFetch],
  ['fetch (Hono app.fetch, app.request)', hono],
];
