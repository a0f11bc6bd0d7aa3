import { CircuitBreaker, ConfigError, Registry } from '@breakwater/core';

/** A breaker to guard routes with: the breaker itself, or a service of a registry. */
export type BreakerRef = CircuitBreaker | { readonly registry: Registry; readonly service: string };

/**
 * Checks `ref` once and returns how to get its breaker per request. A
 * registry reference is looked up on every request (a map lookup), so a
 * service removed and created again is guarded by its new breaker.
 */
export function breakerSource(ref: BreakerRef): () => CircuitBreaker {
  if (ref instanceof CircuitBreaker) return () => ref;
  if (typeof ref === 'object' && ref !== null && ref.registry instanceof Registry) {
    const { registry, service } = ref;
    if (typeof service !== 'string' || service.length === 0) {
      throw new ConfigError('service', service, 'a non-empty service name');
    }
    return () => registry.breaker(service);
  }
  throw new ConfigError('breaker', ref, 'a CircuitBreaker or { registry, service }');
}
