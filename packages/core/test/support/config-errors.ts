import { ConfigError } from '@breakwater/core';
import { expect } from 'vitest';

/** What `build` throws, or undefined. */
export function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Asserts that `build` throws a ConfigError naming `option` (and `value`, when given) in its fields and message. */
export function expectConfigError(
  build: () => unknown,
  option: string,
  ...value: [unknown?]
): void {
  const thrown = thrownBy(build);
  expect(thrown).toBeInstanceOf(ConfigError);
  expect((thrown as ConfigError).option).toBe(option);
  if (value.length > 0) expect((thrown as ConfigError).value).toBe(value[0]);
  expect((thrown as ConfigError).message).toContain(`'${option}'`);
}
