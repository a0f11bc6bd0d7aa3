import { describe, expect, it } from 'vitest';
import { ApiError } from '../app/api/api-error';
import type { AuditEntry } from '../app/audit/audit-entry';
import {
  type AuditLog,
  type AuditLogEvent,
  auditEntriesOf,
  auditPageSize,
  loadingAuditLog,
  nextAuditLog,
  offersOlder,
} from '../app/audit/audit-log-state';

/** Entries with ids `from` down to `from - count + 1`, newest first, as the monitor answers. */
function page(from: number, count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    id: from - index,
    at: '2026-01-01T00:00:00.000Z',
    actor: { id: 'ada', role: 'admin' },
    action: 'reset',
    target: 'search',
    before: 'open',
    after: 'closed',
    outcome: 'ok',
  }));
}

function after(...events: AuditLogEvent[]): AuditLog {
  return events.reduce(nextAuditLog, loadingAuditLog);
}

function ids(log: AuditLog): number[] | undefined {
  return auditEntriesOf(log)?.map((entry) => entry.id);
}

const fullNewest: AuditLogEvent = { type: 'newest-loaded', page: page(500, auditPageSize) };

describe('the audit view, a page at a time', () => {
  it('offers older entries after a full page, not after a short one', () => {
    expect(offersOlder(after(fullNewest))).toBe(true);
    expect(offersOlder(after({ type: 'newest-loaded', page: page(3, 3) }))).toBe(false);
    expect(offersOlder(after({ type: 'newest-loaded', page: [] }))).toBe(false);
  });

  it('appends an older page to the entries shown, and stops offering more after a short one', () => {
    const loading = after(fullNewest, { type: 'older-requested' });
    expect(loading.status).toBe('loading-older');
    expect(ids(loading)).toHaveLength(auditPageSize);
    expect(offersOlder(loading)).toBe(true);

    const full = nextAuditLog(loading, { type: 'older-loaded', page: page(300, auditPageSize) });
    expect(ids(full)).toEqual(
      [...page(500, auditPageSize), ...page(300, auditPageSize)].map(({ id }) => id),
    );
    expect(offersOlder(full)).toBe(true);

    const last = after(
      fullNewest,
      { type: 'older-requested' },
      { type: 'older-loaded', page: page(300, 7) },
    );
    expect(ids(last)).toHaveLength(auditPageSize + 7);
    expect(ids(last)?.at(-1)).toBe(294);
    expect(offersOlder(last)).toBe(false);
  });

  it('keeps the entries shown and the button when an older page fails, to try again', () => {
    const failed = after(
      fullNewest,
      { type: 'older-requested' },
      { type: 'failed', page: 'older', error: new ApiError('The monitor cannot be reached', 0) },
    );
    expect(failed).toMatchObject({
      status: 'failed',
      page: 'older',
      message: 'The monitor cannot be reached',
    });
    expect(ids(failed)).toHaveLength(auditPageSize);
    expect(offersOlder(failed)).toBe(true);
  });

  it('starts again from the newest page on a reload, offering nothing older until it is in', () => {
    const paged = after(
      fullNewest,
      { type: 'older-requested' },
      { type: 'older-loaded', page: page(300, 10) },
    );
    const reloading = nextAuditLog(paged, { type: 'newest-requested' });
    expect(reloading.status).toBe('loading');
    expect(offersOlder(reloading)).toBe(false);
    const reloaded = nextAuditLog(reloading, { type: 'newest-loaded', page: page(40, 2) });
    expect(ids(reloaded)).toEqual([40, 39]);
  });

  it('offers nothing older after the newest page failed (the entries shown are the previous ones)', () => {
    const failed = after(
      fullNewest,
      { type: 'newest-requested' },
      { type: 'failed', page: 'newest', error: new Error('boom') },
    );
    expect(failed).toMatchObject({ status: 'failed', page: 'newest', message: 'boom' });
    expect(ids(failed)).toHaveLength(auditPageSize);
    expect(offersOlder(failed)).toBe(false);
  });

  it('is forbidden when the monitor answers 403, whichever page was asked for', () => {
    const forbidden = new ApiError('needs admin', 403);
    expect(after({ type: 'failed', page: 'newest', error: forbidden })).toEqual({
      status: 'forbidden',
    });
    expect(
      after(
        fullNewest,
        { type: 'older-requested' },
        { type: 'failed', page: 'older', error: forbidden },
      ),
    ).toEqual({
      status: 'forbidden',
    });
  });
});
