import {
  ConfigError,
  excerpt,
  MemoryStore,
  Registry,
  showValue,
  UnknownServiceError,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';

const admin = { id: 'ada', role: 'admin' };

describe('excerpt', () => {
  it('keeps short text and cuts long text to the limit, ending with …', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt('x'.repeat(200))).toBe('x'.repeat(200));
    const cut = excerpt('x'.repeat(201));
    expect(cut).toHaveLength(200);
    expect(cut.endsWith('x…')).toBe(true);
    expect(excerpt('abcdef', 4)).toBe('abc…');
  });

  it('never keeps half of a surrogate pair', () => {
    // '😀' is two UTF-16 code units; a cut after 'a😀' would split the pair otherwise.
    expect(excerpt('ab😀cdef', 4)).toBe('ab…');
    expect(excerpt('a😀bcdef', 4)).toBe('a😀…');
  });
});

describe('showValue', () => {
  it('quotes strings, writes objects as JSON, and bounds both', () => {
    expect(showValue('x')).toBe('"x"');
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue(() => 1)).toBe('a function');
    expect(showValue('y'.repeat(10_000))).toHaveLength(200);
    expect(showValue({ long: 'z'.repeat(10_000) })).toHaveLength(200);
  });

  it('names an object it cannot write: nesting too deep for JSON.stringify, a cycle', () => {
    let deep: unknown[] = [];
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(showValue(deep)).toBe('[object Array]');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(showValue(cycle)).toBe('[object Object]');
  });
});

describe('errors built from input show a bounded excerpt of it', () => {
  it('ConfigError keeps the whole value as a field, but not in its message', () => {
    const value = 'v'.repeat(1_000_000);
    const error = new ConfigError('failureThreshold', value, 'an integer >= 1');
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toMatch(
      /^Invalid option 'failureThreshold': "v+… \(expected an integer >= 1\)$/,
    );
    expect(error.value).toBe(value);
  });

  it('UnknownServiceError', () => {
    const error = new UnknownServiceError('n'.repeat(100_000));
    expect(error.message).toHaveLength("Unknown service ''".length + 200);
  });
});

describe('the audit of a refused request', () => {
  async function registry() {
    return Registry.open({
      store: new MemoryStore(),
      clock: new FakeClock(),
      services: { payments: {} },
    });
  }

  it('keeps a small request as it was asked', async () => {
    const fleet = await registry();
    await fleet.configure('payments', { failureThreshold: 0 }, admin).catch(() => undefined);
    const [entry] = await fleet.audit();
    expect(entry?.after).toEqual({ failureThreshold: 0 });
  });

  it('keeps at most an excerpt of a huge request, and of the reason', async () => {
    const fleet = await registry();
    const huge = { failureThreshold: 'f'.repeat(10_000_000) };
    await fleet.configure('payments', huge as never, admin).catch(() => undefined);
    const [entry] = await fleet.audit();
    expect(typeof entry?.after).toBe('string');
    expect(String(entry?.after).length).toBeLessThanOrEqual(1_000);
    expect(entry?.after).toMatch(/^\{"failureThreshold":"f+…$/);
    expect(entry?.outcome.length).toBeLessThan(600);
    expect(JSON.stringify(entry).length).toBeLessThan(2_500);
  });

  it('keeps a request nested too deep to write as JSON as its tag', async () => {
    const fleet = await registry();
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    await fleet
      .configure('payments', { failureThreshold: deep } as never, admin)
      .catch(() => undefined);
    const [entry] = await fleet.audit();
    expect(entry?.after).toBe('[object Object]');
    expect(entry?.outcome).toMatch(/^refused: Invalid option 'failureThreshold': \[object Array\]/);
  });

  it('keeps at most an excerpt of an unknown service name', async () => {
    const fleet = await registry();
    await fleet.reset('n'.repeat(100_000), admin).catch(() => undefined);
    const [entry] = await fleet.audit();
    expect(entry?.target).toHaveLength(200);
  });
});
