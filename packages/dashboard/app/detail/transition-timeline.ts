import type { CircuitPhase } from '@breakwater/protocol';
import type { AuditEntry, TransitionEntry, TransitionReason } from './detail-api';

/** One line of the transitions timeline. */
export interface TimelineRow {
  /** Stable across refreshes, for React. */
  readonly key: string;
  /** Epoch ms. */
  readonly at: number;
  readonly from: CircuitPhase;
  readonly to: CircuitPhase;
  readonly reason: TransitionReason;
  /** The reason in words. */
  readonly because: string;
  /** Who made a manual transition (`alice (admin)`), when the audit log says so. */
  readonly actor: string | undefined;
}

const reasonTexts: Record<TransitionReason, string> = {
  'consecutive-failures': 'Too many failures in a row',
  'failure-count-in-window': 'Too many failures in the window',
  'failure-rate': 'Failure rate over the threshold',
  'slow-call-rate': 'Slow-call rate over the threshold',
  'adaptive-failure-rate': 'Failure rate well above its usual level',
  'half-open-failure': 'A recovery trial failed',
  'trial-timeout': 'A recovery trial timed out',
  'half-open-success': 'Recovery trials succeeded',
  'reset-timeout-elapsed': 'The open period ended: testing recovery',
  manual: 'Operator action',
  restored: 'Restored from the store at start',
  shared: 'Taken up from another instance',
};

/** A transition reason in words; an unknown reason (a newer monitor) as it came. */
export function describeReason(reason: string): string {
  return reasonTexts[reason as TransitionReason] ?? reason;
}

/** The state a successful audited action leaves the circuit in. */
const stateAfterAction: Readonly<Record<string, CircuitPhase>> = {
  reset: 'closed',
  'reset-all': 'closed',
  release: 'closed',
  'force-open': 'forced-open',
  disable: 'disabled',
};

/** How far apart (ms) a manual transition and its audit entry may be: both stamped by one clock. */
const auditMatchMs = 2_000;

/**
 * The timeline's rows, newest first, from the monitor's transitions. A
 * manual transition gets its actor from the audit entry of the action that
 * made it (same service or `*`, an action that leads to its new state, the
 * nearest in time within 2 s, each entry used once); the audit log is for
 * admins only, so without `audit` no actor is shown.
 */
export function timelineRows(
  service: string,
  transitions: readonly TransitionEntry[],
  audit: readonly AuditEntry[] = [],
): TimelineRow[] {
  const candidates = audit.filter(
    (entry) =>
      entry.outcome === 'ok' &&
      (entry.target === service || entry.target === '*') &&
      stateAfterAction[entry.action] !== undefined,
  );
  const used = new Set<AuditEntry>();
  const seen = new Map<string, number>();
  return [...transitions]
    .sort((a, b) => b.at - a.at)
    .map((transition) => {
      const base = `${transition.at}:${transition.from}:${transition.to}`;
      const repeat = seen.get(base) ?? 0;
      seen.set(base, repeat + 1);
      const entry =
        transition.reason === 'manual' ? actionBehind(transition, candidates, used) : undefined;
      if (entry !== undefined) used.add(entry);
      return {
        key: repeat === 0 ? base : `${base}:${repeat}`,
        at: transition.at,
        from: transition.from,
        to: transition.to,
        reason: transition.reason,
        because: describeReason(transition.reason),
        actor: entry === undefined ? undefined : `${entry.actor.id} (${entry.actor.role})`,
      };
    });
}

function actionBehind(
  transition: TransitionEntry,
  candidates: readonly AuditEntry[],
  used: ReadonlySet<AuditEntry>,
): AuditEntry | undefined {
  let best: AuditEntry | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const entry of candidates) {
    if (used.has(entry) || stateAfterAction[entry.action] !== transition.to) continue;
    const gap = Math.abs(Date.parse(entry.at) - transition.at);
    if (gap <= auditMatchMs && gap < bestGap) {
      best = entry;
      bestGap = gap;
    }
  }
  return best;
}

/** How long ago `at` was, from `now` (epoch ms): `just now`, `42 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
