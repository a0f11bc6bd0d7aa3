import { readFileSync } from 'node:fs';
import { errorCodes, isBreakwaterError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CircuitBreakerMonitor,
  type CircuitBreakerMonitorOptions,
  ClientError,
  clientErrorCodes,
  isClientError,
} from '../src/index';

const url = 'ws://127.0.0.1:1/api/v2/ws/circuit-breaker';
const token = 'header.payload.signature';

/** The error `new CircuitBreakerMonitor(options)` throws. */
function thrownBy(options: Partial<CircuitBreakerMonitorOptions>): ClientError {
  try {
    const monitor = new CircuitBreakerMonitor({ url, token, WebSocket, ...options });
    monitor.disconnect();
  } catch (error) {
    if (isClientError(error)) return error;
    throw error;
  }
  throw new Error('expected the constructor to throw');
}

describe('options', () => {
  it('needs a WebSocket class on Node 20, which has no global one', () => {
    expect(globalThis).not.toHaveProperty('WebSocket');
    const error = thrownBy({ WebSocket: undefined });
    expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option: 'WebSocket' });
    expect(error.message).toContain("'ws' package");
  });

  it.each([
    ['an http URL', 'http://127.0.0.1:8080/api/v2/ws/circuit-breaker'],
    ['not a URL', 'localhost:8080'],
    ['no URL', undefined],
  ])('refuses %s, without repeating a query that may hold a token', (_, value) => {
    const error = thrownBy({ url: `${value ?? ''}?token=secret-token` });
    expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option: 'url' });
    expect(error.message).toContain('ws://');
    expect(error.message).not.toContain('secret-token');
  });

  it('takes a URL object', () => {
    const monitor = new CircuitBreakerMonitor({ url: new URL(url), token, WebSocket });
    monitor.disconnect();
    expect(monitor.status).toBe('disconnected');
  });

  it.each([
    ['empty', ''],
    ['with a space', 'Bearer abc'],
    ['not a string', 42],
  ])('refuses a token %s, without repeating it', (_, value) => {
    const error = thrownBy({ token: value as string });
    expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option: 'token' });
    expect(error.message).not.toContain('Bearer abc');
  });

  it.each([
    ['initialDelay', -1],
    ['maxDelay', Number.NaN],
    ['multiplier', 0.5],
    ['maxAttempts', 1.5],
    ['maxAttempts', -1],
  ])('refuses reconnect.%s = %s, naming it', (name, value) => {
    const error = thrownBy({ reconnect: { [name]: value } });
    expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option: `reconnect.${name}` });
  });

  it('refuses an unknown event and a listener that is not a function', () => {
    const monitor = new CircuitBreakerMonitor({ url, token, WebSocket, reconnect: false });
    monitor.disconnect();
    expect(() => monitor.on('update' as 'error', () => {})).toThrow(/'serviceUpdate'/);
    expect(() => monitor.on('error', 'log' as unknown as () => void)).toThrow(ClientError);
  });

  it('rejects an action without a service name', async () => {
    const monitor = new CircuitBreakerMonitor({ url, token, WebSocket, reconnect: false });
    await expect(monitor.reset('')).rejects.toMatchObject({
      code: 'BW_INVALID_CONFIG',
      option: 'service',
    });
    monitor.disconnect();
  });
});

describe('ClientError', () => {
  it('carries a stable code, a name and the cause, and is an Error', () => {
    const cause = new Error('root');
    const error = new ClientError(clientErrorCodes.streamError, 'broken', {
      cause,
      closeCode: 4004,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ClientError', code: 'BW_STREAM_ERROR', closeCode: 4004 });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('ClientError: broken');
  });

  it('is recognised across copies of the package, and as a Breakwater error', () => {
    const copy = Object.create(Error.prototype, {
      [Symbol.for('breakwater.client-error')]: { value: true },
      code: { value: 'BW_ACTION_FORBIDDEN' },
    });
    expect(isClientError(copy)).toBe(true);
    expect(isClientError(copy, clientErrorCodes.actionForbidden)).toBe(true);
    expect(isClientError(copy, clientErrorCodes.actionFailed)).toBe(false);
    expect(isClientError(new Error('plain'))).toBe(false);
    expect(isBreakwaterError(new ClientError(clientErrorCodes.clientClosed, 'closed'))).toBe(true);
  });

  it("uses codes of Breakwater's one catalogue, each documented in docs/errors.md", () => {
    const catalogue = new Set<string>(Object.values(errorCodes));
    const page = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const code of Object.values(clientErrorCodes)) {
      expect(catalogue.has(code), code).toBe(true);
      expect(page, code).toContain(`| \`${code}\` |`);
    }
  });
});
