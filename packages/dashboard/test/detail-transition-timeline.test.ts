import type { AuditAction } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, TransitionEntry } from '../app/detail/detail-api';
import { describeReason, timeAgo, timelineRows } from '../app/detail/transition-timeline';

const start = Date.UTC(2026, 0, 1);

function audit(
  id: number,
  offset: number,
  action: AuditAction,
  target = 'payments',
  outcome = 'ok',
): AuditEntry {
  return {
    id,
    at: new Date(start + offset).toISOString(),
    actor: { id: `user-${id}`, role: 'admin' },
    action,
    target,
    before: null,
    after: null,
    outcome,
  };
}

const forcedOpen: TransitionEntry = {
  at: start + 10_000,
  from: 'closed',
  to: 'forced-open',
  reason: 'manual',
};

describe('timelineRows', () => {
  it('lists the transitions newest first with their reasons in words', () => {
    const rows = timelineRows('payments', [
      { at: start, from: 'closed', to: 'open', reason: 'failure-rate' },
      { at: start + 30_000, from: 'half-open', to: 'closed', reason: 'half-open-success' },
      { at: start + 20_000, from: 'open', to: 'half-open', reason: 'reset-timeout-elapsed' },
    ]);
    expect(
      rows.map(({ at, from, to, because, actor }) => ({ at, from, to, because, actor })),
    ).toEqual([
      {
        at: start + 30_000,
        from: 'half-open',
        to: 'closed',
        because: 'Recovery trials succeeded',
        actor: undefined,
      },
      {
        at: start + 20_000,
        from: 'open',
        to: 'half-open',
        because: 'The open period ended: testing recovery',
        actor: undefined,
      },
      {
        at: start,
        from: 'closed',
        to: 'open',
        because: 'Failure rate over the threshold',
        actor: undefined,
      },
    ]);
  });

  it('gives repeated transitions at the same instant distinct keys', () => {
    const twice = [forcedOpen, { ...forcedOpen }];
    const keys = timelineRows('payments', twice).map((row) => row.key);
    expect(new Set(keys).size).toBe(2);
  });

  it('names the actor of a manual transition from the audit entry of its action', () => {
    const [row] = timelineRows(
      'payments',
      [forcedOpen],
      [audit(1, 9_000, 'disable'), audit(2, 10_001, 'force-open'), audit(3, 500, 'force-open')],
    );
    expect(row?.actor).toBe('user-2 (admin)');
  });

  it('takes a reset of every service for a manual close', () => {
    const [row] = timelineRows(
      'payments',
      [{ at: start + 5_000, from: 'open', to: 'closed', reason: 'manual' }],
      [audit(1, 5_002, 'reset-all', '*')],
    );
    expect(row?.actor).toBe('user-1 (admin)');
  });

  it('leaves the actor out when no audit entry fits', () => {
    const entries = [
      audit(1, 10_000, 'force-open', 'market-data'),
      audit(2, 10_000, 'force-open', 'payments', 'refused: the registry is closed'),
      audit(3, 12_500, 'force-open'),
      audit(4, 10_000, 'configure'),
    ];
    expect(timelineRows('payments', [forcedOpen], entries)[0]?.actor).toBeUndefined();
    expect(timelineRows('payments', [forcedOpen])[0]?.actor).toBeUndefined();
  });

  it('uses an audit entry for one transition only', () => {
    const rows = timelineRows(
      'payments',
      [forcedOpen, { ...forcedOpen, at: start + 10_500 }],
      [audit(1, 10_400, 'force-open')],
    );
    expect(rows.map((row) => row.actor)).toEqual(['user-1 (admin)', undefined]);
  });

  it('gives actors to manual transitions only', () => {
    const [row] = timelineRows(
      'payments',
      [{ at: start + 10_000, from: 'half-open', to: 'closed', reason: 'half-open-success' }],
      [audit(1, 10_000, 'reset')],
    );
    expect(row?.actor).toBeUndefined();
  });
});

describe('describeReason', () => {
  it('keeps a reason it does not know as it came', () => {
    expect(describeReason('consecutive-failures')).toBe('Too many failures in a row');
    expect(describeReason('new-reason')).toBe('new-reason');
  });
});

describe('timeAgo', () => {
  it.each([
    [2_000, 'just now'],
    [42_000, '42 s ago'],
    [5 * 60_000 + 10_000, '5 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [3 * 86_400_000, '3 d ago'],
    [-5_000, 'just now'],
  ])('writes an age of %s ms as %s', (age, text) => {
    expect(timeAgo(start, start + age)).toBe(text);
  });
});
