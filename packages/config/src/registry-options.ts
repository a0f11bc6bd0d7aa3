import type { ServiceConfig, ServicesConfig } from '@breakwater/core';
import type { BreakwaterConfig } from './breakwater-config';

/**
 * The registry part of a configuration, ready for `new Registry(...)` or
 * `Registry.open({ ...registryOptionsOf(config), store })`. Each service
 * carries its merged options, and its preset's name as a label.
 */
export function registryOptionsOf(config: BreakwaterConfig): { readonly services: ServicesConfig } {
  const services: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(config.services)) {
    services[name] = {
      ...(service.preset === undefined ? {} : { preset: service.preset }),
      ...service.options,
      dependsOn: service.dependsOn,
      ...(service.layer === undefined ? {} : { layer: service.layer }),
      ...(service.description === undefined ? {} : { description: service.description }),
    };
  }
  return { services };
}
