import type { Registry, StateName, Unsubscribe } from '@breakwater/core';
import { type Logger, pino } from 'pino';

/** States in which calls are rejected: a transition into one is logged as a warning. */
const rejecting: ReadonlySet<StateName> = new Set(['open', 'forced-open']);

/**
 * The logger of `breakwater serve`: one JSON object per line through
 * `write`, with the level as its name (`"level":"info"`) and `time` in
 * ISO 8601. Nothing it is given holds a token or a secret: transition
 * lines carry names, states and reasons only, alert lines the alert's text,
 * and webhook failures name the webhook by its origin.
 */
export function createServeLogger(write: (line: string) => void): Logger {
  return pino(
    {
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write },
  );
}

/**
 * Logs every transition of the registry's breakers as one line:
 * `{"level":"warn","time":"…","pid":…,"hostname":"…","breaker":"payments","from":"closed","to":"open","reason":"consecutive-failures","msg":"circuit transition"}`
 * (level `warn` into open or forced-open, `info` otherwise), every
 * manual action with the actor's sub and role, and every write the store
 * refused (level `error`, its message). Returns the unsubscribe.
 */
export function logTransitions(registry: Registry, logger: Logger): Unsubscribe {
  const stops = [
    registry.on('stateChange', ({ service, from, to, reason }) => {
      const fields = { breaker: service, from, to, reason };
      if (rejecting.has(to)) logger.warn(fields, 'circuit transition');
      else logger.info(fields, 'circuit transition');
    }),
    registry.on('manualAction', ({ service, action, actor, before, after }) => {
      logger.info(
        { breaker: service, action, actor: actor.id, role: actor.role, before, after },
        'manual action',
      );
    }),
    // A write the store refused behind the calls: its message names the store, what failed and what to do.
    registry.on('storeError', ({ operation, error }) => {
      const code = (error as { code?: unknown } | null)?.code;
      logger.error(
        { operation, ...(typeof code === 'string' ? { code } : {}) },
        error instanceof Error ? error.message : String(error),
      );
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
