import type { AuditEntry } from '@breakwater/core';
import { sameValue } from '../live/stable-snapshots';

/** One entry of `GET /api/audit`: the core's audit entry, as JSON. */
export type { AuditEntry };

/**
 * The audit query for a service filter (`''` for every service): the newest
 * `limit` entries, or with `before` (an entry's id) the `limit` older than it.
 */
export function auditPath(service: string, limit: number, before?: number): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (service !== '') query.set('service', service);
  if (before !== undefined) query.set('before', String(before));
  return `/api/audit?${query}`;
}

/**
 * What an entry changed, in one line: a state change for a manual action
 * (`open → closed`), the services whose state changed for a reset of all,
 * the options that changed for a configuration (`failureThreshold 5 → 3`).
 */
export function describeAuditChange(
  entry: Pick<AuditEntry, 'before' | 'after'> & { readonly action?: string },
): string {
  const { before, after } = entry;
  if (entry.action === 'refuse-access' && isRecord(after)) return describeRefusals(after);
  if (isRecord(before) || isRecord(after)) {
    const was = isRecord(before) ? before : {};
    const now = isRecord(after) ? after : {};
    // `after` names what was asked for (a refused configuration carries only
    // the requested options); a successful one carries them all.
    const names = Object.keys(isRecord(after) ? now : was);
    const changed = names.filter((name) => !sameValue(was[name], now[name]));
    if (changed.length === 0) return 'no change';
    return changed.map((name) => `${name} ${show(was[name])} → ${show(now[name])}`).join(', ');
  }
  if (before === null && after === null) return '';
  if (sameValue(before, after)) return `stayed ${show(after)}`;
  return `${show(before)} → ${show(after)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A monitor's summary of the requests its rate limits refused in one
 * period: `12 requests refused from 2 clients: 10.0.0.7 ×10 (auth-failures), …`.
 */
function describeRefusals(summary: Record<string, unknown>): string {
  const refused = Number(summary.refused ?? 0);
  const clients = Number(summary.clients ?? 0);
  const more = summary.clientsOverflow === true ? ' or more' : '';
  const top = Array.isArray(summary.top) ? summary.top.filter(isRecord) : [];
  const named = top.map(
    (entry) => `${String(entry.client)} ×${String(entry.refused)} (${String(entry.limit)})`,
  );
  const head = `${refused} ${refused === 1 ? 'request' : 'requests'} refused from ${clients}${more} ${clients === 1 ? 'client' : 'clients'}`;
  return named.length === 0 ? head : `${head}: ${named.join(', ')}`;
}
