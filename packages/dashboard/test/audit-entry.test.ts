import { describe, expect, it } from 'vitest';
import { auditPath, describeAuditChange } from '../app/audit/audit-entry';

describe('auditPath', () => {
  it('asks for the latest entries, of one service when filtered', () => {
    expect(auditPath('', 200)).toBe('/api/audit?limit=200');
    expect(auditPath('payments api&x', 50)).toBe('/api/audit?limit=50&service=payments+api%26x');
  });
});

describe('describeAuditChange', () => {
  it('shows the state change of a manual action', () => {
    expect(describeAuditChange({ before: 'forced-open', after: 'closed' })).toBe(
      'forced-open → closed',
    );
  });

  it('says so when an action left the state as it was', () => {
    expect(describeAuditChange({ before: 'closed', after: 'closed' })).toBe('stayed closed');
  });

  it('shows only the options a configuration changed', () => {
    expect(
      describeAuditChange({
        before: {
          failureThreshold: 5,
          resetTimeout: 30_000,
          slidingWindow: { type: 'count', size: 100 },
        },
        after: {
          failureThreshold: 3,
          resetTimeout: 30_000,
          slidingWindow: { type: 'time', size: 10 },
        },
      }),
    ).toBe(
      'failureThreshold 5 → 3, slidingWindow {"type":"count","size":100} → {"type":"time","size":10}',
    );
  });

  it('shows what a refused configuration asked for, not every option it did not touch', () => {
    expect(
      describeAuditChange({
        before: { failureThreshold: 5, resetTimeout: 30_000 },
        after: { failureThreshold: -1 },
      }),
    ).toBe('failureThreshold 5 → -1');
  });

  it('shows the services whose state a reset of all changed', () => {
    expect(
      describeAuditChange({
        before: { database: 'open', search: 'closed' },
        after: { database: 'closed', search: 'closed' },
      }),
    ).toBe('database open → closed');
  });

  it('says no change for equal maps, and nothing for an entry without states', () => {
    expect(describeAuditChange({ before: { a: 1 }, after: { a: 1 } })).toBe('no change');
    expect(describeAuditChange({ before: null, after: null })).toBe('');
  });

  it('shows a refused action on an unknown service (no state before)', () => {
    expect(describeAuditChange({ before: null, after: 'closed' })).toBe('– → closed');
  });
});
