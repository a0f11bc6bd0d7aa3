import type { Registry, Unsubscribe } from '@breakwater/core';
import type { Printer } from './printer';

/**
 * Prints every transition and alert of the registry's breakers; on an
 * opening, also the services downstream that it affects; and a store that
 * refuses writes, once per distinct message (a full disk refuses every
 * transition's write alike).
 */
export function watch(registry: Registry, printer: Printer, elapsed: () => number): Unsubscribe[] {
  let lastStoreError: string | undefined;
  return [
    registry.on('storeError', ({ error }) => {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastStoreError) printer.storeError(elapsed(), message);
      lastStoreError = message;
    }),
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
