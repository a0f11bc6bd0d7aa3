import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { ClientBudget } from '../../src/auth/client-budget';
import { RequestLimits } from '../../src/auth/request-limits';

function budget(limit: number, maxClients?: number) {
  const clock = new FakeClock();
  const options = { limit, now: () => clock.now(), ...(maxClients ? { maxClients } : {}) };
  return { clock, budget: new ClientBudget(options) };
}

describe('ClientBudget', () => {
  it('allows `limit` per minute, then says how long until the minute ends', () => {
    const { clock, budget: limit } = budget(3);
    for (let i = 0; i < 3; i++) {
      expect(limit.waitFor('a')).toBe(0);
      limit.spend('a');
    }
    expect(limit.waitFor('a')).toBe(60_000);
    clock.advance(45_000);
    expect(limit.waitFor('a')).toBe(15_000);
    clock.advance(15_000);
    expect(limit.waitFor('a')).toBe(0);
  });

  it('keeps each client to its own budget', () => {
    const { budget: limit } = budget(1);
    limit.spend('a');
    expect(limit.waitFor('a')).toBeGreaterThan(0);
    expect(limit.waitFor('b')).toBe(0);
  });

  it('remembers at most maxClients, forgetting the one seen longest ago', () => {
    const { budget: limit } = budget(1, 3);
    for (const client of ['a', 'b', 'c']) limit.spend(client);
    expect(limit.waitFor('a')).toBeGreaterThan(0); // a is now the one seen last
    limit.spend('d'); // b goes
    expect(limit.size).toBe(3);
    expect(limit.waitFor('b')).toBe(0);
    expect(limit.waitFor('a')).toBeGreaterThan(0);
    for (let i = 0; i < 1_000; i++) limit.spend(`client-${i}`);
    expect(limit.size).toBe(3);
  });

  it('counts refusals per window', () => {
    const { clock, budget: limit } = budget(1);
    limit.spend('a');
    expect([limit.refuse('a'), limit.refuse('a')]).toEqual([1, 2]);
    clock.advance(60_000);
    expect(limit.refuse('a')).toBe(1);
  });
});

describe('RequestLimits', () => {
  it('reports a client’s refusals at the 1st, 10th and 100th of its minute, without the token', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const limits = new RequestLimits({
      clock,
      authFailuresPerMinute: 2,
      report: (line) => lines.push(line),
    });
    limits.authenticationFailed('10.0.0.1');
    limits.authenticationFailed('10.0.0.1');
    for (let i = 0; i < 150; i++) {
      expect(limits.checkAuthentication('10.0.0.1')).toMatchObject({ retryAfter: 60 });
    }
    expect(lines).toEqual([
      'refused a request from 10.0.0.1 this minute: over 2 failed authentications a minute (server.authFailuresPerMinute)',
      'refused 10 requests from 10.0.0.1 this minute: over 2 failed authentications a minute (server.authFailuresPerMinute)',
      'refused 100 requests from 10.0.0.1 this minute: over 2 failed authentications a minute (server.authFailuresPerMinute)',
    ]);
    clock.advance(60_000);
    expect(limits.checkAuthentication('10.0.0.1')).toBeUndefined();
  });

  it('counts admin actions per subject and address, and shows at most 64 characters of the subject', () => {
    const lines: string[] = [];
    const limits = new RequestLimits({
      clock: new FakeClock(),
      adminActionsPerMinute: 1,
      report: (line) => lines.push(line),
    });
    const long = 'x'.repeat(10_000);
    expect(limits.takeAdminAction(long, '10.0.0.1')).toBeUndefined();
    expect(limits.takeAdminAction(long, '10.0.0.2')).toBeUndefined();
    expect(limits.takeAdminAction('other', '10.0.0.1')).toBeUndefined();
    const refused = limits.takeAdminAction(long, '10.0.0.1');
    expect(refused?.message).toBe(
      'Too many admin actions by this token from this address: 1 admin actions a minute (server.adminActionsPerMinute); try again in 60 s',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`by "${'x'.repeat(64)}" from 10.0.0.1`);
    expect(lines[0]?.length).toBeLessThan(200);
  });

  it('refuses a limit that is not a whole number of requests', () => {
    expect(() => new RequestLimits({ authFailuresPerMinute: 0 })).toThrow(/authFailuresPerMinute/);
    expect(() => new RequestLimits({ adminActionsPerMinute: 2.5 })).toThrow(
      /adminActionsPerMinute/,
    );
  });
});
