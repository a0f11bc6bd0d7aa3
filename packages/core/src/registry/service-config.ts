import type { CircuitBreakerOptions } from '../breaker/breaker-options';
import { ConfigError } from '../errors/config-error';
import { checkPersistableOptions, type PersistableOptions } from './persistable-options';
import { isPresetName, presets } from './presets';

/**
 * One service of a registry: a preset and/or explicit options (explicit ones
 * win), the services it depends on, and labels for people.
 */
export interface ServiceConfig extends PersistableOptions {
  /** A built-in preset name (see `presets`), e.g. `market-data` or `conservative`. */
  readonly preset?: string;
  /** Services this one calls: when one of them is failed or degraded, this one is degraded. */
  readonly dependsOn?: readonly string[];
  /** A grouping label, e.g. the DegenDuel fleet's `data`, `contest`, `wallet`, `infrastructure`. */
  readonly layer?: string;
  readonly description?: string;
}

/** Services by name. */
export type ServicesConfig = Readonly<Record<string, ServiceConfig>>;

/** A service's configuration after checking: its breaker options, dependencies and labels. */
export interface ResolvedService {
  readonly name: string;
  readonly preset: string | undefined;
  readonly options: PersistableOptions;
  readonly dependsOn: readonly string[];
  readonly layer: string | undefined;
  readonly description: string | undefined;
}

const serviceNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Checks one service entry and merges its preset with its explicit options.
 * Errors name the full path, e.g. `services.market-data.failureThreshold`.
 */
export function resolveService(
  name: string,
  config: ServiceConfig,
  path = `services.${name}`,
): ResolvedService {
  checkServiceName(name, path);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(path, config, 'an object with a preset and/or breaker options');
  }
  const { preset, dependsOn = [], layer, description, ...explicit } = config;
  if (preset !== undefined && (typeof preset !== 'string' || !isPresetName(preset))) {
    throw new ConfigError(
      `${path}.preset`,
      preset,
      `a preset name (${Object.keys(presets).join(', ')})`,
    );
  }
  if (!Array.isArray(dependsOn) || dependsOn.some((entry) => typeof entry !== 'string')) {
    throw new ConfigError(`${path}.dependsOn`, dependsOn, 'a list of service names');
  }
  for (const [field, value] of [
    ['layer', layer],
    ['description', description],
  ] as const) {
    if (value !== undefined && typeof value !== 'string')
      throw new ConfigError(`${path}.${field}`, value, 'a string');
  }
  const options = checkPersistableOptions(
    { ...(preset === undefined ? {} : presets[preset]), ...explicit },
    path,
  );
  return { name, preset, options, dependsOn: [...new Set(dependsOn)], layer, description };
}

/** Service names appear in URLs, metrics labels and logs: keep them to a safe alphabet. */
export function checkServiceName(name: string, path = 'name'): void {
  if (typeof name !== 'string' || !serviceNamePattern.test(name)) {
    throw new ConfigError(
      path,
      name,
      'a service name of letters, digits, ".", "_", ":" or "-" (at most 128)',
    );
  }
}

/** Options for a breaker built from a resolved service, with the registry's clock. */
export function breakerOptionsOf(
  service: ResolvedService,
  extra: Pick<CircuitBreakerOptions, 'clock'>,
): CircuitBreakerOptions {
  return { ...service.options, ...extra };
}
