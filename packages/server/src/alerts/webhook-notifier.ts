import type { Clock } from '@breakwater/core';
import { type Alert, alertKinds } from './alert';
import { alertDefaults, type WebhookSettings } from './alerts-settings';

/** The clock functions deliveries use: timeouts and backoff run on it. */
export type AlertClock = Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;

/** Wait before retry `n` (0-based): 1 s, 2 s, 4 s, … capped at 30 s. */
export function retryDelay(retry: number): number {
  return Math.min(1_000 * 2 ** retry, 30_000);
}

/** Alerts waiting for one webhook beyond this are dropped (oldest first), and the drop is logged. */
export const maxQueuedAlerts = 1_000;

export interface WebhookNotifierOptions {
  readonly webhook: WebhookSettings;
  /** Position in `alerts.webhooks`, for log lines. */
  readonly index: number;
  readonly clock: AlertClock;
  readonly fetch: typeof fetch;
  readonly log: (line: string) => void;
}

/**
 * Delivers alerts to one URL, one at a time, in order. `send` only queues:
 * nothing here runs on the caller's stack, and no failure is ever thrown —
 * each failed attempt and each alert given up on is reported to the log.
 */
export class WebhookNotifier {
  readonly #webhook: WebhookSettings;
  readonly #events: ReadonlySet<string>;
  readonly #clock: AlertClock;
  readonly #fetch: typeof fetch;
  readonly #log: (line: string) => void;
  /** Where log lines say it went: the origin only, since webhook paths often hold a secret. */
  readonly #label: string;
  readonly #queue: Alert[] = [];
  #draining: Promise<void> | undefined;

  constructor(options: WebhookNotifierOptions) {
    this.#webhook = options.webhook;
    this.#events = new Set(options.webhook.events ?? alertKinds);
    this.#clock = options.clock;
    this.#fetch = options.fetch;
    this.#log = options.log;
    this.#label = `webhook ${options.index + 1} (${originOf(options.webhook.url)})`;
  }

  /** Whether this webhook takes alerts of this kind (its `events`). */
  wants(alert: Alert): boolean {
    return this.#events.has(alert.kind);
  }

  /** Queues an alert; returns at once. */
  send(alert: Alert): void {
    if (!this.wants(alert)) return;
    if (this.#queue.length >= maxQueuedAlerts) {
      const dropped = this.#queue.shift();
      if (dropped)
        this.#report(`dropped ${describe(dropped)}: more than ${maxQueuedAlerts} queued`);
    }
    this.#queue.push(alert);
    this.#draining ??= this.#drain();
  }

  /** Resolves once every queued alert has been delivered or given up on. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Start on a later microtask, never inside the event listener that queued the alert.
    await Promise.resolve();
    try {
      for (let alert = this.#queue.shift(); alert; alert = this.#queue.shift())
        await this.#deliver(alert);
    } finally {
      this.#draining = undefined;
    }
  }

  async #deliver(alert: Alert): Promise<void> {
    const retries = this.#webhook.retries ?? alertDefaults.retries;
    const body = JSON.stringify(alert);
    for (let attempt = 0; ; attempt++) {
      const failure = await this.#attempt(body);
      if (failure === undefined) return;
      const of = `attempt ${attempt + 1} of ${retries + 1}`;
      if (attempt >= retries) {
        this.#report(`gave up on ${describe(alert)} after ${of} failed: ${failure}`);
        return;
      }
      const delay = retryDelay(attempt);
      this.#report(`${of} for ${describe(alert)} failed: ${failure}; retrying in ${delay} ms`);
      await this.#sleep(delay);
    }
  }

  /** One POST; undefined on a 2xx answer, else why it failed. */
  async #attempt(body: string): Promise<string | undefined> {
    const timeout = this.#webhook.timeout ?? alertDefaults.timeout;
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.#clock.setTimeout(() => {
      timedOut = true;
      // The reason \`AbortSignal.timeout()\` gives, which any fetch understands; never surfaced:
      // the attempt reports "no answer within …" instead.
      controller.abort(new DOMException(`timed out after ${timeout} ms`, 'TimeoutError'));
    }, timeout);
    try {
      const response = await this.#fetch(this.#webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'breakwater-alerts',
          ...this.#webhook.headers,
        },
        body,
        signal: controller.signal,
      });
      await response.body?.cancel().catch(() => undefined);
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      if (timedOut) return `no answer within ${timeout} ms`;
      return error instanceof Error ? error.message : String(error);
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#clock.setTimeout(resolve, ms);
    });
  }

  #report(text: string): void {
    try {
      this.#log(`alert ${this.#label}: ${text}`);
    } catch {
      // A log sink that throws must not stop deliveries.
    }
  }
}

function describe(alert: Alert): string {
  return `${alert.kind} of ${alert.service}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}
