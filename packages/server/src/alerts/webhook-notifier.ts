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
 *
 * Stopping takes two steps, so a shutdown never waits out a backoff:
 * `stop()` ends retries (a wait for one ends at once; queued alerts still get
 * one attempt each) and `cancel()` aborts the attempt in flight and drops
 * whatever is left.
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
  /** Set by `stop()`: no more retries. */
  #stopping = false;
  /** Ends the backoff waits in progress (`stop()`). */
  readonly #wakers = new Set<() => void>();
  /** Aborted by `cancel()`: the attempt in flight ends, nothing more is sent. */
  readonly #cancelled = new AbortController();

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

  /** No more retries: a backoff wait ends now, each alert still queued gets one attempt. */
  stop(): void {
    this.#stopping = true;
    for (const wake of [...this.#wakers]) wake();
  }

  /** Aborts the attempt in flight and drops the alerts still queued (logged), after `stop()`. */
  cancel(): void {
    this.stop();
    if (this.#cancelled.signal.aborted) return;
    this.#cancelled.abort(new DOMException('the monitor is stopping', 'AbortError'));
    const dropped = this.#queue.length;
    this.#queue.length = 0;
    if (dropped > 0) this.#report(`dropped ${dropped} queued alerts: the monitor is stopping`);
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
      const last = attempt >= retries;
      if (!last && !this.#stopping) {
        const delay = retryDelay(attempt);
        this.#report(`${of} for ${describe(alert)} failed: ${failure}; retrying in ${delay} ms`);
        await this.#sleep(delay);
        if (!this.#stopping) continue;
      }
      const cut = !last && !this.#cancelled.signal.aborted;
      const why = cut ? ' (not retried: the monitor is stopping)' : '';
      this.#report(`gave up on ${describe(alert)} after ${of} failed: ${failure}${why}`);
      return;
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
        signal: AbortSignal.any([controller.signal, this.#cancelled.signal]),
      });
      await response.body?.cancel().catch(() => undefined);
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      if (timedOut) return `no answer within ${timeout} ms`;
      if (this.#cancelled.signal.aborted) return 'cancelled: the monitor is stopping';
      return error instanceof Error ? error.message : String(error);
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  /** Waits `ms` on the clock, or until `stop()`. */
  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.#clock.clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = this.#clock.setTimeout(wake, ms);
      this.#wakers.add(wake);
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
