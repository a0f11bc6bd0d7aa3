import { maxDuration } from '@breakwater/core';
import { z } from 'zod';
import type { Issues } from '../issues';
import { checkWith } from './check-with';
import { flag, integer, listOf, milliseconds, oneOf, strict, url } from './fields';

/** What can raise an alert (the payment worker's alerting: circuit open, open too long, recovery failed or exhausted). */
export const alertEvents = Object.freeze([
  'circuit-open',
  'recovery-failed',
  'recovery-exhausted',
  'open-too-long',
] as const);

export type AlertEvent = (typeof alertEvents)[number];

/** A URL that receives each alert as a JSON POST. */
export interface WebhookConfig {
  /** `http://` or `https://` URL. */
  readonly url: string;
  /** The alerts sent to it. Default: all of {@link alertEvents}. */
  readonly events: readonly AlertEvent[];
  /** Extra request headers. Default none. */
  readonly headers: Readonly<Record<string, string>>;
  /** Give up one attempt after this long (ms). Default 5 000. */
  readonly timeout: number;
  /** Attempts after the first one fails, with backoff. Default 3. */
  readonly retries: number;
}

export interface AlertsConfig {
  /** Write every alert to the log. Default true. */
  readonly log: boolean;
  /** Default none. */
  readonly webhooks: readonly WebhookConfig[];
  /** Alert `open-too-long` once a circuit has been open this long (ms). Default 300 000 (5 min, as the payment worker's alerting has it). */
  readonly openLongerThan: number;
}

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const webhookSchema = strict(
  {
    url: url(['http', 'https'], 'an http:// or https:// URL'),
    events: listOf(oneOf(alertEvents), `a list of alert events (${alertEvents.join(', ')})`)
      .refine((events) => events.length > 0, { error: () => 'at least one alert event' })
      .default([...alertEvents]),
    headers: z
      .record(
        z.string().regex(headerName),
        z.string({ error: () => 'a header value (a string)' }).regex(/^[^\r\n]*$/, {
          error: () => 'a header value on one line',
        }),
        {
          error: (issue) =>
            issue.code === 'invalid_key'
              ? "an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)"
              : 'a mapping of header name to value',
        },
      )
      .default({}),
    timeout: milliseconds(100, 60_000).default(5_000),
    retries: integer(0, 10).default(3),
  },
  'a mapping with url, events, headers, timeout, retries',
);

const alertsSchema = strict(
  {
    log: flag().default(true),
    webhooks: z.array(webhookSchema, { error: () => 'a list of webhooks' }).default([]),
    openLongerThan: milliseconds(1_000, maxDuration).default(300_000),
  },
  'a mapping with log, webhooks, openLongerThan',
);

/** Checks the `alerts` section; every key has a default. */
export function checkAlerts(input: unknown, issues: Issues): AlertsConfig | undefined {
  return checkWith(alertsSchema, input ?? {}, ['alerts'], issues);
}
