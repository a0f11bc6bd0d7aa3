import { CircuitBreaker, ConfigError, isConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';

/** What `run` throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a wrong argument is a ConfigError naming it', () => {
  it('subscribing something that is not a function, to a breaker or a registry', () => {
    const notAFunction = 'log it' as never;
    for (const error of [
      thrown(() => new CircuitBreaker('db').on('stateChange', notAFunction)),
      thrown(() => new Registry().on('manualAction', notAFunction)),
    ]) {
      expect(isConfigError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'BW_INVALID_CONFIG',
        option: 'listener',
        value: 'log it',
      });
    }
  });

  it('advancing a FakeClock by a negative or non-finite step', () => {
    const clock = new FakeClock();
    for (const step of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = thrown(() => clock.advance(step));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ option: 'ms' });
    }
    expect(clock.monotonic()).toBe(0);
  });
});
