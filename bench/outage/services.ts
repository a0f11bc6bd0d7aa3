/** The breakers every instance of the outage benchmark shares. */

/** Under steady traffic the whole run; their dependency fails 1% of calls, far below a trip. */
export const steadyServices = ['quotes', 'ledger', 'search', 'mailer'] as const;

/** Tripped by one instance alone while Redis is down: open everywhere once the fleet reconciles. */
export const tripwire = 'tripwire';
/** Failed 3 times on each instance while Redis is down: not enough for one, enough for the fleet. */
export const fleetwire = 'fleetwire';
export const tripwireFailures = 5;
export const fleetwireFailuresEach = 3;

/** Long open periods, so a reconciled open is still in force when the benchmark looks. */
export const services: Record<string, Record<string, unknown>> = {
  ...Object.fromEntries(
    steadyServices.map((name) => [name, { failureThreshold: 20, resetTimeout: 30_000 }]),
  ),
  [tripwire]: { failureThreshold: tripwireFailures, resetTimeout: 120_000 },
  [fleetwire]: { failureThreshold: 8, resetTimeout: 120_000 },
};
