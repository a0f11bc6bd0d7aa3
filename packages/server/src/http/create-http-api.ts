import {
  type Actor,
  auditQueryLimits,
  ConfigError,
  excerpt,
  type InstanceReport,
  type PersistableOptions,
  persistableView,
  type Registry,
  UnknownServiceError,
} from '@breakwater/core';
import { type Context, Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { Authenticator } from '../auth/authenticator';
import { RequestLimits } from '../auth/request-limits';
import { ServiceHistory } from '../history/service-history';
import { manualActions } from '../manual-actions';
import { type BreakwaterMetrics, createMetrics } from '../metrics/breakwater-metrics';
import { defaultMaxBodyBytes, limitBodies } from './body-limit';
import { addDashboardRoutes, dashboardFolder } from './dashboard-routes';
import { healthReport } from './health-report';
import { addHistoryRoutes } from './history-routes';
import { errorBody, HttpError, httpErrorCodes, toHttpError } from './http-error';
import { readJsonBody } from './json-body';
import { parseBefore, parseLimit } from './query-params';
import { type AuthVariables, requireRole } from './require-role';
import { TrustedProxies } from './trusted-proxies';

export interface HttpApiOptions {
  readonly registry: Registry;
  readonly authenticator: Authenticator;
  /** Served at `GET /metrics`; built from `registry` when not given. */
  readonly metrics?: BreakwaterMetrics;
  /**
   * Served at `GET /api/circuit-breakers/:name/history` and `…/transitions`;
   * when not given, one is built from `registry` and started (its timer is
   * unref'd, so it never keeps the process alive).
   */
  readonly history?: ServiceHistory;
  /**
   * Failed authentications per client address and admin actions per token
   * and address, per minute (429 with `Retry-After` past them); shared with
   * the WebSocket upgrade by `createMonitor`. Default: 20 and 60 a minute.
   */
  readonly limits?: RequestLimits;
  /**
   * Reverse proxies (IP addresses and CIDR subnets: `10.0.0.0/8`, `::1`)
   * whose `X-Forwarded-For` names the client the limits count; see
   * `TrustedProxies`. A bad entry throws a `ConfigError` naming it. Default
   * none: the client is the socket's peer, and the header is ignored.
   */
  readonly trustedProxies?: readonly string[];
  /**
   * A folder of static files served at `/` after every API route: the web
   * dashboard's build (`dashboardRoot` of `@breakwater/dashboard`). It must
   * hold an index.html, or a `ConfigError` naming it is thrown. Not given:
   * `/` answers 404.
   */
  readonly dashboard?: string;
  /** The largest request body read, bytes; a larger one answers 413. Default 65 536. */
  readonly maxBodyBytes?: number;
  /**
   * Where each error answered with 500 is reported with its stack (the
   * answer itself names only the class of an error that is not Breakwater's).
   * Default `console.error`.
   */
  readonly log?: (line: string) => void;
}

type Env = { Variables: AuthVariables };

/**
 * The monitor's HTTP API as a Hono app (`app.fetch` serves it anywhere).
 * Errors are JSON `{ error: { code, message } }`; nothing here logs, so a
 * token never reaches a log line.
 *
 * The public health route answers `degraded` when any service is failed or
 * degraded, `healthy` otherwise (services without traffic yet, `unknown`,
 * do not degrade it), with one breaker's stats as `circuitBreaker` for
 * `?service=NAME` or a one-breaker registry (see `healthReport`); the status
 * code is 200 either way, since the monitor itself is up.
 */
export function createHttpApi(options: HttpApiOptions): Hono<Env> {
  const { registry, authenticator } = options;
  // Checked first: an unbuilt dashboard fails before anything (the history's timer) starts.
  const dashboard =
    options.dashboard === undefined ? undefined : dashboardFolder(options.dashboard);
  const maxBodyBytes = checkedMaxBodyBytes(options.maxBodyBytes);
  const proxies = new TrustedProxies(options.trustedProxies);
  const log = options.log ?? ((line: string) => console.error(line));
  const report = (line: string) => {
    try {
      log(line);
    } catch {
      // A log sink that throws must not turn an answer into another error.
    }
  };
  const metrics = options.metrics ?? createMetrics(registry);
  const history = options.history ?? startedHistory(registry);
  const limits = options.limits ?? new RequestLimits({ report: options.log });
  const viewer = requireRole(authenticator, 'viewer', limits, proxies);
  const admin = requireRole(authenticator, 'admin', limits, proxies);
  // The API's routes on their own, so that the 405 check below knows only them.
  const api = new Hono<Env>();

  api.get('/api/health/circuit-breaker', (c) => {
    const service = c.req.query('service');
    return c.json(healthReport(registry.status(), service === '' ? undefined : service));
  });

  api.get('/metrics', async (c) => {
    const text = await metrics.text();
    return c.body(text, 200, { 'content-type': metrics.contentType });
  });

  api.get('/api/circuit-breakers/health', viewer, (c) => {
    const { timestamp, services, sharing } = registry.status();
    return c.json({
      timestamp,
      ...(sharing === undefined ? {} : { sharing }),
      breakers: services.map(({ service, health, degradedBy, dependsOn, layer, breaker }) => ({
        ...breaker,
        name: service,
        health,
        degradedBy,
        dependsOn,
        layer,
      })),
    });
  });

  api.post('/api/circuit-breakers/reset', admin, async (c) => {
    const change = await registry.resetAll(actorOf(c));
    return c.json({ service: '*', action: 'reset-all', ...change });
  });

  api.get('/api/circuit-breakers/:name', viewer, (c) => {
    const name = c.req.param('name');
    const entry = registry.status().services.find((service) => service.service === name);
    if (entry === undefined) throw new UnknownServiceError(name);
    const instances = registry.fleetInstances();
    return c.json({
      ...entry.breaker,
      name,
      health: entry.health,
      degradedBy: entry.degradedBy,
      dependsOn: entry.dependsOn,
      layer: entry.layer,
      // What an admin edits with PATCH …/config, so a form can start from the current values.
      ...optionsOf(registry, name),
      // Shared mode: what each instance of the fleet reports of this breaker.
      ...(instances === undefined ? {} : { instances: reportsOf(instances, name) }),
    });
  });

  // This API shows the fleet: reading the instance reports from now on (shared mode) means
  // the first GET /api/fleet already lists the other instances, not this one alone.
  registry.fleetInstances();
  api.get('/api/fleet', viewer, (c) => {
    const { timestamp, sharing } = registry.status();
    return c.json({
      timestamp,
      sharing: sharing ?? null,
      instances: registry.fleetInstances() ?? [],
    });
  });

  addHistoryRoutes(api, registry, history, viewer);

  for (const [action, run] of Object.entries(manualActions)) {
    api.post(`/api/circuit-breakers/:name/${action}`, admin, async (c) => {
      const name = c.req.param('name');
      const change = await run(registry, name, actorOf(c));
      return c.json({ service: name, action, ...change });
    });
  }

  api.patch('/api/circuit-breakers/:name/config', admin, async (c) => {
    const name = c.req.param('name');
    const body = await readJsonBody(c);
    // The registry validates every option (naming the bad one) before changing anything.
    const change = await registry.configure(name, body as PersistableOptions, actorOf(c));
    return c.json({ service: name, ...change });
  });

  api.get('/api/audit', admin, async (c) => {
    const service = c.req.query('service');
    const limit = parseLimit(c.req.query('limit'), auditQueryLimits.max);
    // The next page of a listing: below the id of its last entry.
    const beforeId = parseBefore(c.req.query('before'));
    const entries = await registry.audit({
      ...(service === undefined || service === '' ? {} : { service }),
      ...(limit === undefined ? {} : { limit }),
      ...(beforeId === undefined ? {} : { beforeId }),
    });
    return c.json({ entries });
  });

  const notAllowed = (c: Context<Env>, methods: string[]) => {
    const allow = methods.join(', ');
    const message = `${c.req.method} is not allowed on ${excerpt(c.req.path)}: use ${allow}`;
    const error = new HttpError(405, httpErrorCodes.methodNotAllowed, message);
    return c.json(errorBody(error), 405, { allow });
  };
  const app = new Hono<Env>();
  // A path the API knows asked with another method: 405 with the methods it takes, not 404.
  // It looks at the API's routes only: the dashboard's catch-all would make every path known.
  app.use(methodNotAllowed({ app: api, onMethodNotAllowed: notAllowed }));
  app.use(limitBodies(maxBodyBytes));
  app.route('/', api);
  // Last, so the API's routes keep priority over any file name.
  if (dashboard !== undefined) addDashboardRoutes(app, dashboard, notAllowed);

  app.notFound((c) =>
    c.json(
      errorBody(
        new HttpError(
          404,
          httpErrorCodes.notFound,
          `No route ${c.req.method} ${excerpt(c.req.path)}`,
        ),
      ),
      404,
    ),
  );

  app.onError((error, c) => {
    const during = `${c.req.method} ${excerpt(c.req.path)}`;
    const http = toHttpError(error, during);
    // A 500 is a bug or a broken store: whoever runs the monitor needs the stack.
    if (http.status === 500) report(`monitor: ${during} failed: ${error.stack ?? error}`);
    if (http.status === 401) c.header('WWW-Authenticate', 'Bearer');
    return c.json(errorBody(http), http.status);
  });

  return app;
}

function actorOf(c: Context<Env>): Actor {
  const principal = c.get('principal');
  return { id: principal.sub, role: principal.role };
}

function checkedMaxBodyBytes(given: number | undefined): number {
  if (given === undefined) return defaultMaxBodyBytes;
  if (!Number.isSafeInteger(given) || given < 1)
    throw new ConfigError('maxBodyBytes', given, 'a size in bytes, an integer >= 1');
  return given;
}

function startedHistory(registry: Registry): ServiceHistory {
  const history = new ServiceHistory({ registry });
  history.start();
  return history;
}

/** The breaker's plain-data options as `options`, the keys and values `PATCH …/config` takes. */
function optionsOf(registry: Registry, name: string): { options?: PersistableOptions } {
  const breaker = registry.get(name);
  return breaker === undefined ? {} : { options: persistableView(breaker.options) };
}

/** Each instance's view of one breaker, for instances that have it. */
function reportsOf(instances: readonly InstanceReport[], name: string) {
  return instances.flatMap(({ instance, at, mode, breakers }) => {
    const breaker = breakers[name];
    return breaker === undefined ? [] : [{ instance, at, mode, ...breaker }];
  });
}
