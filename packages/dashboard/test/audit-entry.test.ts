import { describe, expect, it } from 'vitest';
import { auditPath, describeAuditChange } from '../app/audit/audit-entry';

describe('auditPath', () => {
  it('asks for the latest entries, of one service when filtered', () => {
    expect(auditPath('', 200)).toBe('/api/audit?limit=200');
    expect(auditPath('payments api&x', 50)).toBe('/api/audit?limit=50&service=payments+api%26x');
  });

  it('asks for the entries older than an id for the next page, with the same filter', () => {
    expect(auditPath('', 200, 4711)).toBe('/api/audit?limit=200&before=4711');
    expect(auditPath('db', 50, 12)).toBe('/api/audit?limit=50&service=db&before=12');
  });
});

describe('describeAuditChange', () => {
  it("summarises a monitor's refused requests", () => {
    expect(
      describeAuditChange({
        action: 'refuse-access',
        before: null,
        after: {
          refused: 12,
          clients: 2,
          clientsOverflow: false,
          top: [
            { client: '10.0.0.7', limit: 'auth-failures', refused: 10 },
            { client: 'ada from 10.0.0.8', limit: 'admin-actions', refused: 2 },
          ],
        },
      }),
    ).toBe(
      '12 requests refused from 2 clients: 10.0.0.7 ×10 (auth-failures), ada from 10.0.0.8 ×2 (admin-actions)',
    );
  });

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
