import type { AlertKind } from './alert';

/**
 * A webhook as `alerts.webhooks[]` of the configuration file declares it
 * (`@breakwater/config`'s `WebhookConfig` is assignable to it); every field
 * but `url` may be left out and takes the configuration's default.
 */
export interface WebhookSettings {
  /** `http://` or `https://` URL; it receives each alert as a JSON POST. */
  readonly url: string;
  /** The alerts sent to it. Default: every kind. */
  readonly events?: readonly AlertKind[];
  /** Extra request headers (never logged). Default none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Give up one attempt after this long (ms). Default 5 000. */
  readonly timeout?: number;
  /** Attempts after the first one fails, with exponential backoff. Default 3. */
  readonly retries?: number;
}

/** The `alerts` section of the configuration (`@breakwater/config`'s `AlertsConfig` is assignable to it). */
export interface AlertsSettings {
  /** Write every alert to the log. Default true. */
  readonly log?: boolean;
  readonly webhooks?: readonly WebhookSettings[];
  /** Raise `open-too-long` once a circuit has been out of service this long (ms). Default 300 000 (5 min). */
  readonly openLongerThan?: number;
}

export const alertDefaults = Object.freeze({
  log: true,
  openLongerThan: 300_000,
  timeout: 5_000,
  retries: 3,
});
