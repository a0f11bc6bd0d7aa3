import { describe, expect, it } from 'vitest';
import { noteArrival, recoveryDeadline } from '../app/live/arrivals';
import { keepUnchanged, sameValue } from '../app/live/stable-snapshots';
import { snapshot } from './support/snapshots';

// What the client hands over: a new object for every service a message
// carries, equal or not (structuredClone stands for the fresh parse).
const reparsed = <T>(value: T): T => structuredClone(value);

describe('keepUnchanged', () => {
  const first = [snapshot('a'), snapshot('b'), snapshot('c')];

  it('returns the previous list itself when every service is unchanged', () => {
    expect(keepUnchanged(first, reparsed(first))).toBe(first);
  });

  it('keeps the identity of unchanged services and takes the changed one', () => {
    const next = reparsed(first);
    next[1] = snapshot('b', { circuit: { failureCount: 1 } });
    const merged = keepUnchanged(first, next);
    expect(merged).not.toBe(first);
    expect(merged[0]).toBe(first[0]);
    expect(merged[1]).toBe(next[1]);
    expect(merged[2]).toBe(first[2]);
  });

  it('gives a new list when a service is added, removed or moved, reusing equal snapshots', () => {
    const added = keepUnchanged(first, [...reparsed(first), snapshot('d')]);
    expect(added.map((s) => s.service)).toEqual(['a', 'b', 'c', 'd']);
    expect(added[0]).toBe(first[0]);

    const removed = keepUnchanged(first, reparsed(first).slice(1));
    expect(removed.map((s) => s.service)).toEqual(['b', 'c']);
    expect(removed[0]).toBe(first[1]);

    const moved = keepUnchanged(first, reparsed(first).reverse());
    expect(moved).not.toBe(first);
    expect(moved.map((s) => s.service)).toEqual(['c', 'b', 'a']);
    expect(moved[0]).toBe(first[2]);
  });

  it('takes the new snapshot when only a nested list changed (degradedBy)', () => {
    const next = [snapshot('a', { circuit: { degradedBy: ['db'] } }), ...reparsed(first.slice(1))];
    expect(keepUnchanged(first, next)[0]).toBe(next[0]);
  });
});

describe('sameValue', () => {
  it.each([
    [1, 1, true],
    [1, 2, false],
    [null, null, true],
    [null, {}, false],
    ['a', 'a', true],
    [[1, [2]], [1, [2]], true],
    [[1, 2], [1], false],
    [[], {}, false],
    [{}, [], false],
    [{ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: undefined }, { b: undefined }, false],
  ])('sameValue(%j, %j) is %s', (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
  });
});

describe('recoveryDeadline', () => {
  it('is the arrival time plus recoveryIn for an open circuit', () => {
    const open = snapshot('a', { circuit: { state: 'open', phase: 'open', recoveryIn: 12_000 } });
    noteArrival(open, 1_000_000);
    expect(recoveryDeadline(open)).toBe(1_012_000);
  });

  it('keeps the first arrival of a snapshot that is seen again', () => {
    const open = snapshot('a', { circuit: { state: 'open', phase: 'open', recoveryIn: 5_000 } });
    noteArrival(open, 2_000_000);
    noteArrival(open, 2_004_000);
    expect(recoveryDeadline(open)).toBe(2_005_000);
  });

  it('is undefined without recoveryIn or before the arrival is known', () => {
    const closed = snapshot('a');
    noteArrival(closed, 1);
    expect(recoveryDeadline(closed)).toBeUndefined();
    expect(
      recoveryDeadline(snapshot('b', { circuit: { phase: 'open', recoveryIn: 1000 } })),
    ).toBeUndefined();
  });
});
