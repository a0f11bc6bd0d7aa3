import {
  type Registry,
  type StateName,
  systemClock,
  type TimerHandle,
  type Unsubscribe,
} from '@breakwater/core';
import type { Alert, AlertDetails, AlertKind } from './alert';
import { type AlertsSettings, alertDefaults } from './alerts-settings';
import { type AlertClock, WebhookNotifier } from './webhook-notifier';

export interface AlerterOptions {
  readonly registry: Registry;
  readonly alerts: AlertsSettings;
  /** Timers for `open-too-long`, webhook timeouts and backoff. Default: the system clock. */
  readonly clock?: AlertClock;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Receives one line per alert (when `alerts.log`) and every webhook failure. Default `console.log`. */
  readonly log?: (line: string) => void;
}

export interface Alerter {
  /** Resolves once every alert queued so far has been delivered or given up on (webhooks). */
  flush(): Promise<void>;
  /**
   * Stops watching the registry and waits until every queued webhook
   * delivery is done or given up. Nothing is retried from here on (a backoff
   * wait ends at once; each queued alert gets one attempt); when `cancel`
   * aborts, the attempts in flight are aborted and the rest dropped.
   */
  stop(cancel?: AbortSignal): Promise<void>;
}

/** States in which a circuit is out of service: an outage lasts while the circuit moves between them. */
const outOfService: ReadonlySet<StateName> = new Set(['open', 'forced-open', 'half-open']);

interface Transition {
  readonly from: StateName;
  readonly to: StateName;
  readonly reason: string;
}

interface Outage {
  /** Start, epoch ms. */
  readonly since: number;
  last: Transition;
  /** The one `open-too-long` timer; undefined once it fired. */
  timer: TimerHandle | undefined;
}

/**
 * Watches a registry and raises alerts (the events the payment worker alerts on):
 * `circuit-open` (closed → open), `recovery-failed` (half-open → open),
 * `recovery-exhausted` (`maxRecoveryAttempts` failed recoveries in a row) and
 * `open-too-long` (out of service — open, forced open or cycling through
 * half-open — for longer than `openLongerThan`, once per outage, from one
 * timer per service that is out of service now).
 *
 * Listeners only build the alert and queue it: webhook deliveries never run
 * on, delay or fail the breaker's call path.
 */
export function createAlerter(options: AlerterOptions): Alerter {
  const { registry, alerts } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => console.log(line));
  const openLongerThan = alerts.openLongerThan ?? alertDefaults.openLongerThan;
  const logAlerts = alerts.log ?? alertDefaults.log;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const webhooks = (alerts.webhooks ?? []).map(
    (webhook, index) => new WebhookNotifier({ webhook, index, clock, fetch: fetchImpl, log }),
  );
  const outages = new Map<string, Outage>();
  let stopped = false;

  function recoveryAttempts(service: string): number {
    return registry.get(service)?.status().recoveryAttempts ?? 0;
  }

  function affected(service: string): readonly string[] | undefined {
    try {
      return registry.affectedBy(service);
    } catch {
      return undefined;
    }
  }

  function raise(kind: AlertKind, service: string, at: number, details: AlertDetails): void {
    const downstream = affected(service);
    const alert: Alert = {
      kind,
      service,
      at: new Date(at).toISOString(),
      message: messageFor(kind, service, details, downstream),
      details: downstream === undefined ? details : { ...details, affected: downstream },
    };
    if (logAlerts) {
      try {
        log(`alert ${kind} ${service}: ${alert.message}`);
      } catch {
        // A log sink that throws must not reach the breaker.
      }
    }
    for (const webhook of webhooks) webhook.send(alert);
  }

  function startOutage(service: string, last: Transition, alreadyFor = 0): void {
    const outage: Outage = { since: clock.now() - alreadyFor, last, timer: undefined };
    outage.timer = unref(
      clock.setTimeout(
        () => {
          outage.timer = undefined;
          const openFor = clock.now() - outage.since;
          raise('open-too-long', service, clock.now(), {
            ...outage.last,
            recoveryAttempts: recoveryAttempts(service),
            openFor,
          });
        },
        Math.max(0, openLongerThan - alreadyFor),
      ),
    );
    outages.set(service, outage);
  }

  function endOutage(service: string): void {
    const outage = outages.get(service);
    if (outage === undefined) return;
    if (outage.timer !== undefined) clock.clearTimeout(outage.timer);
    outages.delete(service);
  }

  function track(service: string, transition: Transition): void {
    if (!outOfService.has(transition.to)) {
      endOutage(service);
      return;
    }
    const outage = outages.get(service);
    if (outage === undefined) startOutage(service, transition);
    else outage.last = transition;
  }

  const unsubscribes: Unsubscribe[] = [
    registry.on('stateChange', (event) => {
      if (stopped) return;
      const transition = { from: event.from, to: event.to, reason: event.reason };
      track(event.service, transition);
      if (event.to !== 'open') return;
      const kind =
        event.from === 'closed'
          ? 'circuit-open'
          : event.from === 'half-open'
            ? 'recovery-failed'
            : undefined;
      if (kind === undefined) return;
      raise(kind, event.service, event.at, {
        ...transition,
        recoveryAttempts: recoveryAttempts(event.service),
      });
    }),
    registry.on('recoveryExhausted', (event) => {
      if (stopped) return;
      raise('recovery-exhausted', event.service, event.at, {
        from: 'half-open',
        to: registry.get(event.service)?.state ?? 'open',
        reason: 'half-open-failure',
        recoveryAttempts: recoveryAttempts(event.service),
        failedRecoveries: event.failedInARow,
        nextResetTimeout: event.nextResetTimeout,
      });
    }),
  ];

  // Circuits already out of service (restored from a store) are timed from how long they have been in their state.
  for (const service of registry.list()) {
    const status = registry.get(service)?.status();
    if (status === undefined || !outOfService.has(status.state)) continue;
    startOutage(
      service,
      { from: status.state, to: status.state, reason: 'restored' },
      Math.min(status.timeInCurrentState, openLongerThan),
    );
  }

  const flush = async (): Promise<void> => {
    await Promise.all(webhooks.map((webhook) => webhook.idle()));
  };

  return {
    flush,
    async stop(cancel) {
      if (!stopped) {
        stopped = true;
        for (const unsubscribe of unsubscribes) unsubscribe();
        for (const service of [...outages.keys()]) endOutage(service);
        for (const webhook of webhooks) webhook.stop();
      }
      const cancelAll = () => {
        for (const webhook of webhooks) webhook.cancel();
      };
      if (cancel?.aborted) cancelAll();
      cancel?.addEventListener('abort', cancelAll, { once: true });
      try {
        await flush();
      } finally {
        cancel?.removeEventListener('abort', cancelAll);
      }
    },
  };
}

function messageFor(
  kind: AlertKind,
  service: string,
  details: AlertDetails,
  affected: readonly string[] | undefined,
): string {
  const impact = affected && affected.length > 0 ? `; affects ${affected.join(', ')}` : '';
  switch (kind) {
    case 'circuit-open':
      return `Circuit ${service} opened (${details.reason}): calls are rejected${impact}.`;
    case 'recovery-failed':
      return `Circuit ${service} failed recovery attempt ${details.recoveryAttempts} and opened again${impact}.`;
    case 'recovery-exhausted':
      return `Circuit ${service} failed ${details.failedRecoveries ?? details.recoveryAttempts} recoveries in a row (maxRecoveryAttempts); it keeps probing${impact}.`;
    case 'open-too-long':
      return `Circuit ${service} has been out of service for ${Math.round((details.openFor ?? 0) / 1000)} s (${details.to})${impact}.`;
  }
}

/** Lets the process exit while an `open-too-long` timer waits (real timers only). */
function unref(handle: TimerHandle): TimerHandle {
  const timer = handle as { unref?: () => void } | null;
  if (timer !== null && typeof timer === 'object' && typeof timer.unref === 'function')
    timer.unref();
  return handle;
}
