import { ApiError } from '../api/api-error';
import { errorMessage } from '../format/error-message';
import type { AuditEntry } from './audit-entry';

/** How many entries the view asks for at a time: the newest page, then each older one. */
export const auditPageSize = 200;

/**
 * What the audit view has: the entries read so far, newest first, and how
 * the last request went. While the newest page reloads (a new filter, Refresh,
 * an action) and after it failed, the entries shown are the previous ones.
 */
export type AuditLog =
  | { readonly status: 'loading'; readonly entries?: readonly AuditEntry[] }
  | {
      readonly status: 'ready';
      readonly entries: readonly AuditEntry[];
      /** False once a page came back short: nothing older is left. */
      readonly olderLeft: boolean;
    }
  | { readonly status: 'loading-older'; readonly entries: readonly AuditEntry[] }
  | { readonly status: 'forbidden' }
  | {
      readonly status: 'failed';
      readonly message: string;
      /** The newest page (a reload) or an older one ("Show older") could not be read. */
      readonly page: 'newest' | 'older';
      readonly entries?: readonly AuditEntry[];
    };

export type AuditLogEvent =
  | { readonly type: 'newest-requested' }
  | { readonly type: 'newest-loaded'; readonly page: readonly AuditEntry[] }
  | { readonly type: 'older-requested' }
  | { readonly type: 'older-loaded'; readonly page: readonly AuditEntry[] }
  | { readonly type: 'failed'; readonly page: 'newest' | 'older'; readonly error: unknown };

export const loadingAuditLog: AuditLog = { status: 'loading' };

/** The audit log after `event`: the reducer of the audit view. */
export function nextAuditLog(log: AuditLog, event: AuditLogEvent): AuditLog {
  switch (event.type) {
    case 'newest-requested':
      return { status: 'loading', entries: auditEntriesOf(log) };
    case 'newest-loaded':
      return { status: 'ready', entries: event.page, olderLeft: isFull(event.page) };
    case 'older-requested':
      return { status: 'loading-older', entries: auditEntriesOf(log) ?? [] };
    case 'older-loaded':
      return {
        status: 'ready',
        entries: [...(auditEntriesOf(log) ?? []), ...event.page],
        olderLeft: isFull(event.page),
      };
    case 'failed':
      if (event.error instanceof ApiError && event.error.status === 403)
        return { status: 'forbidden' };
      return {
        status: 'failed',
        message: errorMessage(event.error),
        page: event.page,
        entries: auditEntriesOf(log),
      };
  }
}

/**
 * Whether the view offers "Show older": after a full page, while an older
 * page loads (the button disabled), and after an older page failed (to try
 * again). Not while the newest page reloads, nor after it failed: the
 * entries shown then may belong to the previous filter.
 */
export function offersOlder(log: AuditLog): boolean {
  switch (log.status) {
    case 'ready':
      return log.olderLeft && log.entries.length > 0;
    case 'loading-older':
      return true;
    case 'failed':
      return log.page === 'older';
    case 'loading':
    case 'forbidden':
      return false;
  }
}

export function auditEntriesOf(log: AuditLog): readonly AuditEntry[] | undefined {
  return 'entries' in log ? log.entries : undefined;
}

/** A page as long as asked for may have older entries after it; a shorter one is the last. */
function isFull(page: readonly AuditEntry[]): boolean {
  return page.length >= auditPageSize;
}
