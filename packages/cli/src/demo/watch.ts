import type { Registry, Unsubscribe } from '@breakwater/core';
import type { Printer } from './printer';

/**
 * Prints every transition and alert of the registry's breakers; on an
 * opening, also the services downstream that it affects.
 */
export function watch(registry: Registry, printer: Printer, elapsed: () => number): Unsubscribe[] {
  return [
    registry.on('stateChange', (event) => {
      if (event.to !== 'open') {
        printer.transition(elapsed(), event, undefined);
        return;
      }
      const breaker = registry.breaker(event.service);
      const period = breaker.status().currentResetTimeout;
      const { resetTimeout, maxResetTimeout } = breaker.options;
      printer.transition(elapsed(), event, {
        nextTrialMs: period,
        backoff: period / resetTimeout,
        capped: period >= maxResetTimeout && maxResetTimeout > resetTimeout,
      });
      if (event.from === 'closed') printer.affected(registry.affectedBy(event.service));
    }),
    registry.on('recoveryExhausted', (event) => printer.recoveryExhausted(elapsed(), event)),
    registry.on('sharingChange', (event) => printer.sharing(elapsed(), event.status)),
  ];
}
