import {
  CircuitBreaker,
  CircuitOpenError,
  ConfigError,
  isConfigError,
  Registry,
} from '@breakwater/core';
import {
  breakerSource,
  isServerErrorStatus,
  openResponse,
  resolveMiddlewareOptions,
} from '@breakwater/middleware';
import { describe, expect, it } from 'vitest';

function headersFor(retryAfter: number | undefined, state: 'open' | 'half-open' = 'open') {
  return openResponse(new CircuitOpenError('quotes', state, retryAfter)).headers;
}

describe('openResponse', () => {
  it('rounds Retry-After up to whole seconds', () => {
    expect(headersFor(1)['retry-after']).toBe('1');
    expect(headersFor(1_000)['retry-after']).toBe('1');
    expect(headersFor(1_001)['retry-after']).toBe('2');
    expect(headersFor(29_999.5)['retry-after']).toBe('30');
  });

  it('rounds a fractional retryAfter up to whole milliseconds in the body', () => {
    const open = openResponse(new CircuitOpenError('quotes', 'open', 1_234.2));
    expect(JSON.parse(open.body)).toMatchObject({ error: { retryAfter: 1_235 } });
  });

  it('answers Retry-After 0 when half-open with every trial permit taken', () => {
    const open = openResponse(new CircuitOpenError('quotes', 'half-open', 0));
    expect(open.headers['retry-after']).toBe('0');
    expect(JSON.parse(open.body)).toEqual({
      error: {
        type: 'CircuitBreakerOpen',
        service: 'quotes',
        message:
          "Service 'quotes' is temporarily unavailable: its circuit is testing recovery; retry shortly",
        retryAfter: 0,
      },
    });
  });

  it('answers the given hint while forced open, 30 s when none is given', () => {
    const forced = new CircuitOpenError('quotes', 'forced-open', undefined);
    const open = openResponse(forced, 45_000);
    expect(open.status).toBe(503);
    expect(open.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '45',
    });
    expect(JSON.parse(open.body)).toMatchObject({ error: { retryAfter: 45_000 } });
    expect(openResponse(forced).headers['retry-after']).toBe('30');
  });

  it('reads the lazily built rejections the breaker throws on its open path', async () => {
    const breaker = new CircuitBreaker('quotes');
    breaker.forceOpen();
    const error = await breaker
      .execute(() => 'never')
      .then(
        () => undefined,
        (reason: CircuitOpenError) => reason,
      );
    if (error === undefined) throw new Error('expected a rejection');
    expect(JSON.parse(openResponse(error).body)).toMatchObject({
      error: { type: 'CircuitBreakerOpen', service: 'quotes', retryAfter: 30_000 },
    });
  });
});

describe('middleware options', () => {
  it('count statuses >= 500 by default', () => {
    expect(resolveMiddlewareOptions().isFailureStatus).toBe(isServerErrorStatus);
    expect([499, 500, 599].map(isServerErrorStatus)).toEqual([false, true, true]);
  });

  it('reject an isFailureStatus that is not a function, naming it', () => {
    const bad = { isFailureStatus: 500 } as unknown as Parameters<
      typeof resolveMiddlewareOptions
    >[0];
    expect(() => resolveMiddlewareOptions(bad)).toThrow(ConfigError);
    expect(() => resolveMiddlewareOptions(bad)).toThrow(/isFailureStatus/);
  });

  it('reject a forcedOpenRetryAfter that is not a duration, naming it', () => {
    for (const forcedOpenRetryAfter of [-1, Number.NaN, '5s']) {
      const bad = { forcedOpenRetryAfter } as unknown as Parameters<
        typeof resolveMiddlewareOptions
      >[0];
      expect(() => resolveMiddlewareOptions(bad)).toThrow(/forcedOpenRetryAfter/);
    }
  });
});

describe('breakerSource', () => {
  it('returns a given breaker as is', () => {
    const breaker = new CircuitBreaker('quotes');
    expect(breakerSource(breaker)()).toBe(breaker);
  });

  it("looks a registry service's breaker up by name", () => {
    const registry = new Registry();
    expect(breakerSource({ registry, service: 'quotes' })()).toBe(registry.breaker('quotes'));
  });

  it('rejects anything else with a ConfigError', () => {
    const error = (() => {
      try {
        breakerSource({ service: 'quotes' } as never);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(isConfigError(error)).toBe(true);
    expect(() => breakerSource({ registry: new Registry(), service: '' })).toThrow(/service/);
  });
});
