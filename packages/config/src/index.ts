export { type BreakwaterConfig, sectionNames } from './breakwater-config';
export { ConfigFileError, isConfigFileError } from './config-file-error';
export type { ConfigIssue } from './issues';
export { loadConfig, parseConfig } from './load-config';
export { registryOptionsOf } from './registry-options';
export {
  type AlertEvent,
  type AlertsConfig,
  alertEvents,
  type WebhookConfig,
} from './schema/alerts';
export {
  type AuthConfig,
  defaultJwtSecretEnv,
  defaultMaxTokenLifetime,
  type PublicKeyAuthConfig,
  type SecretAuthConfig,
} from './schema/auth';
export type { ServerConfig, WebSocketConfig } from './schema/server';
export type { ServicesSection } from './schema/services';
export {
  type AuditRetentionConfig,
  defaultStorePath,
  type LocalStoreConfig,
  type MemoryStoreConfig,
  type RedisStoreConfig,
  type StoreConfig,
} from './schema/store';
export type { ConfigFormat } from './source-text';
export { validateConfig } from './validate-config';
