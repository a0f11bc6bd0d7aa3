import { type Registry, UnknownServiceError } from '@breakwater/core';
import type { Hono, MiddlewareHandler } from 'hono';
import type { ServiceHistory } from '../history/service-history';
import { parseLimit, parseSince } from './query-params';
import type { AuthVariables } from './require-role';

/** Transitions a `…/transitions` request returns without a `limit`. */
const defaultTransitionLimit = 100;

/**
 * `GET /api/circuit-breakers/:name/history` (the sampled series, oldest
 * first, `?since=`) and `GET /api/circuit-breakers/:name/transitions` (the
 * recent transitions, newest first, `?limit=`), for viewers. An unknown
 * service is a 404 before its query is looked at.
 */
export function addHistoryRoutes(
  app: Hono<{ Variables: AuthVariables }>,
  registry: Pick<Registry, 'get'>,
  history: ServiceHistory,
  viewer: MiddlewareHandler<{ Variables: AuthVariables }>,
): void {
  const known = (name: string): string => {
    if (registry.get(name) === undefined) throw new UnknownServiceError(name);
    return name;
  };

  app.get('/api/circuit-breakers/:name/history', viewer, (c) => {
    const service = known(c.req.param('name'));
    const since = parseSince(c.req.query('since'));
    return c.json({
      service,
      interval: history.interval,
      points: history.series(service, since),
    });
  });

  app.get('/api/circuit-breakers/:name/transitions', viewer, (c) => {
    const service = known(c.req.param('name'));
    const limit = parseLimit(c.req.query('limit'), history.transitionsKept);
    return c.json({
      service,
      transitions: history.transitions(
        service,
        limit ?? Math.min(defaultTransitionLimit, history.transitionsKept),
      ),
    });
  });
}
