// What a browser app compiles against: @breakwater/core, the protocol's
// main entry and the client, without Node's types (the pack-and-install test
// compiles it with `types: []` and the DOM library).
import { CircuitBreakerMonitor, clientErrorCodes, isClientError } from '@breakwater/client';
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

export function watch(token: string): () => void {
  const monitor = new CircuitBreakerMonitor({
    url: 'ws://127.0.0.1:8080/api/v2/ws/circuit-breaker',
    token,
    WebSocket, // the browser's own, which is also the default
  });
  const stop = monitor.on('serviceUpdate', (services) => {
    document.title = `${services.filter((s) => s.status === 'failed').length} open`;
  });
  monitor.reset('market-data').catch((error: unknown) => {
    if (isClientError(error, clientErrorCodes.actionForbidden)) console.warn('admins only');
  });
  return () => {
    stop();
    monitor.disconnect();
  };
}
