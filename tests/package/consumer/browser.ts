// What a browser app compiles against: @breakwater/core and the protocol's
// main entry, without Node's types (the pack-and-install test compiles it
// with `types: []` and the DOM library).
import { CircuitBreaker, isCircuitOpenError } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { closeCodes, parseServerMessage, type ServiceSnapshot } from '@breakwater/protocol';

const breaker = new CircuitBreaker('api', { failureThreshold: 3, clock: new FakeClock() });

export async function load(url: string): Promise<unknown> {
  try {
    return await breaker.execute(async (signal) => (await fetch(url, { signal })).json());
  } catch (error) {
    if (isCircuitOpenError(error)) return { retryAfter: error.retryAfter ?? 0 };
    throw error;
  }
}

export function onFrame(text: string): ServiceSnapshot[] {
  const parsed = parseServerMessage(text);
  if (!parsed.ok) return [];
  if (parsed.message.type === 'error' && parsed.message.code === closeCodes.unauthorized) return [];
  return parsed.message.type === 'service:update' ? parsed.message.services : [];
}
