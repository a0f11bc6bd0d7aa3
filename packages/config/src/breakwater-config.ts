import type { AlertsConfig } from './schema/alerts';
import type { AuthConfig } from './schema/auth';
import type { ServerConfig } from './schema/server';
import type { ServicesSection } from './schema/services';
import type { StoreConfig } from './schema/store';

/**
 * A configuration file after validation: every default applied, every path
 * absolute, deeply frozen. See the package README for each key.
 */
export interface BreakwaterConfig {
  /** Absolute path of the file it was read from (relative paths inside it are resolved against its folder). */
  readonly file: string;
  /** At least one. Breaker options not set (by a preset or explicitly) take core's `defaultOptions` when the breaker is built. */
  readonly services: ServicesSection;
  /** Default: `{ type: 'local', path: '<config folder>/breakwater.db' }`. */
  readonly store: StoreConfig;
  readonly server: ServerConfig;
  readonly auth: AuthConfig;
  readonly alerts: AlertsConfig;
}

/** The sections of a configuration file, in the order they are documented. */
export const sectionNames = Object.freeze([
  'services',
  'store',
  'server',
  'auth',
  'alerts',
] as const);
