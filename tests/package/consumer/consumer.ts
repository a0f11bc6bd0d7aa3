// A TypeScript program using every package through its published types. The
// pack-and-install test compiles it in a project outside the repository
// against the installed tarballs (strict, skipLibCheck off, nodenext and
// bundler resolution); the repository's typecheck compiles it against the
// sources, so it stays in step with the API.
import { runCli, usage } from '@breakwater/cli';
import {
  CircuitBreakerMonitor,
  type ConnectionStatus,
  type WebSocketConstructor,
} from '@breakwater/client';
import {
  type BreakwaterConfig,
  isConfigFileError,
  parseConfig,
  registryOptionsOf,
} from '@breakwater/config';
import {
  type BreakerStatus,
  CircuitBreaker,
  isCircuitOpenError,
  Registry,
  retry,
  wrap,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { openResponse } from '@breakwater/middleware';
import { circuitBreaker } from '@breakwater/middleware/express';
import { circuitBreakerHooks } from '@breakwater/middleware/fastify';
import { withCircuitBreaker } from '@breakwater/middleware/fetch';
import { closeCodes, type ServerMessage, toServiceUpdate } from '@breakwater/protocol';
import { parseClientMessage, serverMessageSchema } from '@breakwater/protocol/schema';
import { RedisStore } from '@breakwater/redis';
import { createMonitor, type Monitor } from '@breakwater/server';
import { LocalStore } from '@breakwater/store-local';

const clock = new FakeClock();
const breaker = new CircuitBreaker('payments', { failureThreshold: 2, resetTimeout: 1_000, clock });
const guarded = wrap(retry({ maxAttempts: 2 }), breaker);

export async function charge(amount: number): Promise<number> {
  try {
    return await guarded.execute(async (signal) => (signal.aborted ? 0 : amount));
  } catch (error) {
    if (isCircuitOpenError(error)) return -(error.retryAfter ?? 0);
    throw error;
  }
}

export const status: BreakerStatus = breaker.status();

export function fleet(text: string): Registry {
  const config: BreakwaterConfig = parseConfig(text, { format: 'yaml', file: 'inline.yaml' });
  return new Registry({ ...registryOptionsOf(config), clock: new FakeClock() });
}

export function isBadConfig(error: unknown): boolean {
  return isConfigFileError(error);
}

export async function stores(): Promise<void> {
  const local = await LocalStore.open(':memory:');
  await local.close();
  const redis: typeof RedisStore.connect = RedisStore.connect;
  void redis;
}

export function monitor(registry: Registry): Monitor {
  return createMonitor({ registry, env: { BREAKWATER_JWT_SECRET: 'x'.repeat(32) } });
}

export const handlers = [
  circuitBreaker(breaker),
  circuitBreakerHooks(breaker),
  withCircuitBreaker(breaker, async () => new Response('ok')),
  openResponse,
];

export function wire(registry: Registry): ServerMessage[] {
  const update = toServiceUpdate(registry.status(), new Date(0).toISOString());
  const parsed = parseClientMessage('{"type":"ping"}');
  return [
    serverMessageSchema.parse(update),
    {
      type: 'error',
      code: closeCodes.forbidden,
      message: parsed.ok ? 'ok' : parsed.reason,
      timestamp: '',
    },
  ];
}

export const cli: [typeof runCli, string] = [runCli, usage()];

export async function resetFromNode(
  token: string,
  WebSocket: WebSocketConstructor, // `WebSocket` from the ws package on Node 20
): Promise<ConnectionStatus> {
  const monitor = new CircuitBreakerMonitor({
    url: 'ws://127.0.0.1:8080/api/v2/ws/circuit-breaker',
    token,
    WebSocket,
    reconnect: { maxAttempts: 3 },
  });
  await monitor.reset('payments');
  monitor.disconnect();
  return monitor.status;
}
