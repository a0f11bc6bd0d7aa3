import {
  type CircuitBreakerOptions,
  persistableOptionNames,
  type ResolvedOptions,
} from '../breaker/breaker-options';
import { resolveOptions } from '../breaker/resolve-options';
import { ConfigError } from '../errors/config-error';

export { persistableOptionNames };

export type PersistableOptionName = (typeof persistableOptionNames)[number];

/** Breaker options that are plain JSON (no functions, no clock). */
export type PersistableOptions = Pick<CircuitBreakerOptions, PersistableOptionName>;

const names: ReadonlySet<string> = new Set(persistableOptionNames);

/**
 * Checks that `options` holds only plain-data options with valid values, and
 * returns a copy. `path` prefixes option names in errors (e.g.
 * `services.market-data`), so a config file's error names the exact key.
 */
export function checkPersistableOptions(options: unknown, path = ''): PersistableOptions {
  const prefix = path === '' ? '' : `${path}.`;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(path || 'options', options, 'an object of breaker options');
  }
  for (const [key, value] of Object.entries(options)) {
    if (!names.has(key)) {
      throw new ConfigError(
        `${prefix}${key}`,
        value,
        `one of the breaker options (${persistableOptionNames.join(', ')})`,
      );
    }
  }
  try {
    resolveOptions(options as CircuitBreakerOptions);
  } catch (error) {
    if (error instanceof ConfigError && prefix !== '') {
      throw new ConfigError(`${prefix}${error.option}`, error.value, error.expected);
    }
    throw error;
  }
  return structuredClone(options) as PersistableOptions;
}

/** The plain-data part of resolved options: what before/after of a change shows. */
export function persistableView(options: ResolvedOptions): PersistableOptions {
  const view: Record<string, unknown> = {};
  for (const name of persistableOptionNames) {
    const value = options[name];
    if (value !== undefined) view[name] = typeof value === 'object' ? { ...value } : value;
  }
  return view as PersistableOptions;
}
