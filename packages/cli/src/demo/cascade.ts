import type { ServiceSpec } from './catalogue';

/**
 * The services an outage of `name` reaches: every service that depends on
 * it, directly or through others, nearest first. A stand-in until the
 * registry's dependency-aware status replaces it.
 */
export function affectedBy(name: string, services: readonly ServiceSpec[]): string[] {
  const affected: string[] = [];
  const queue = [name];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const service of services) {
      if (service.dependsOn.includes(next) && !affected.includes(service.name)) {
        affected.push(service.name);
        queue.push(service.name);
      }
    }
  }
  return affected.filter((service) => service !== name);
}
