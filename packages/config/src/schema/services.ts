import type { ResolvedService } from '@breakwater/core';
import type { Issues } from '../issues';
import { checkDependencies } from './dependencies';
import { checkServiceEntry } from './service-entry';

/** Services by name, each with its breaker options (preset merged with explicit ones), dependencies and labels. */
export type ServicesSection = Readonly<Record<string, ResolvedService>>;

/**
 * Checks the `services` section: at least one service, each entry on its own
 * (shape, name, preset, options), then the dependency graph across them.
 */
export function checkServices(input: unknown, issues: Issues): ServicesSection | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.add(
      ['services'],
      input,
      'a mapping of service name to its settings, with at least one service',
    );
    return undefined;
  }
  const entries = Object.entries(input);
  if (entries.length === 0) {
    issues.add(['services'], input, 'at least one service');
    return undefined;
  }
  const services: Record<string, ResolvedService> = {};
  const dependsOn = new Map<string, readonly unknown[]>();
  let valid = true;
  for (const [name, entry] of entries) {
    const resolved = checkServiceEntry(name, entry, issues);
    if (resolved === undefined) valid = false;
    else services[name] = resolved;
    const declared = (entry as { dependsOn?: unknown } | null)?.dependsOn;
    dependsOn.set(name, Array.isArray(declared) ? declared : []);
  }
  const before = issues.size;
  checkDependencies(dependsOn, issues);
  return valid && issues.size === before ? services : undefined;
}
