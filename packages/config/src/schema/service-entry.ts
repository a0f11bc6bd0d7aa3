import {
  checkServiceName,
  isConfigError,
  persistableOptionNames,
  presets,
  type ResolvedService,
  resolveService,
  type ServiceConfig,
} from '@breakwater/core';
import { z } from 'zod';
import { formatPath, type Issues, parsePath, type Segment } from '../issues';
import { withSuggestion } from '../suggest';
import { checkWith } from './check-with';
import { listOf, strict, text } from './fields';

/**
 * The shape of one service: labels, `dependsOn`, and the plain-data breaker
 * options, whose values are left to core (`resolveService`) so the rules
 * live in one place.
 */
const serviceSchema = strict(
  {
    preset: text('a preset name').optional(),
    layer: text('a label such as data, contest, wallet or infrastructure').optional(),
    description: text('a sentence for people').optional(),
    dependsOn: listOf(text('a service name'), 'a list of service names').optional(),
    ...Object.fromEntries(persistableOptionNames.map((name) => [name, z.unknown().optional()])),
  },
  'a mapping of breaker options, with an optional preset, layer, description and dependsOn',
);

/**
 * Checks one entry of `services`: its shape with zod, then its name, preset
 * and option values with core's `resolveService`. Core stops at the first bad
 * option, so each one it names is recorded, dropped and the rest checked
 * again, until core accepts what is left: every bad option is listed.
 */
export function checkServiceEntry(
  name: string,
  input: unknown,
  issues: Issues,
): ResolvedService | undefined {
  const at: Segment[] = ['services', name];
  // `name:` with nothing after it is a service on core's defaults.
  const entry = input === null ? {} : input;
  const shaped = checkWith(serviceSchema, entry, at, issues);
  if (typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  let valid = shaped !== undefined;
  const path = formatPath(at);
  try {
    checkServiceName(name, path);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    issues.add(at, name, error.expected);
    valid = false;
  }
  // Only the keys zod found well-shaped go on to core's checks.
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (Object.hasOwn(serviceSchema.shape, key) && !issues.hasUnder([...at, key]))
      config[key] = value;
  }
  const resolve = (candidate: Record<string, unknown>) =>
    // A bad name is already reported: check the rest under a stand-in name.
    resolveService(valid ? name : 'service', candidate as ServiceConfig, path);
  // Each round drops one key, so this ends; the bound only guards against a surprise.
  const rounds = Object.keys(config).length;
  for (let round = 0; round <= rounds; round++) {
    try {
      const resolved = resolve(config);
      return valid ? resolved : undefined;
    } catch (error) {
      if (!isConfigError(error)) throw error;
      valid = false;
      const inner = error.option.startsWith(`${path}.`)
        ? parsePath(error.option.slice(path.length + 1))
        : [];
      const expected =
        inner[0] === 'preset'
          ? withSuggestion(error.expected, error.value, Object.keys(presets))
          : error.expected;
      issues.add([...at, ...inner], error.value, expected);
      const key = inner[0];
      const culprit =
        typeof key === 'string' && Object.hasOwn(config, key)
          ? key
          : conflictingKey(config, error.option, resolve);
      if (culprit === undefined) return undefined;
      delete config[culprit];
    }
  }
  return undefined;
}

/**
 * When core rejects a value the file did not set (a preset's or a default,
 * e.g. `minimumCalls` 10 against an explicit count window of 5), the explicit
 * option whose removal makes that complaint go away: dropping it lets the
 * remaining options be checked too. Core stays the only judge of the rules.
 */
function conflictingKey(
  config: Record<string, unknown>,
  option: string,
  resolve: (candidate: Record<string, unknown>) => unknown,
): string | undefined {
  return Object.keys(config).find((key) => {
    if (!(persistableOptionNames as readonly string[]).includes(key)) return false;
    const { [key]: _dropped, ...rest } = config;
    try {
      resolve(rest);
      return true;
    } catch (error) {
      return !isConfigError(error) || error.option !== option;
    }
  });
}
