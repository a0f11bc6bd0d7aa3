import type { ServiceSnapshot } from '@breakwater/protocol';

/**
 * `next` with every snapshot that equals the one held before replaced by
 * that held object, and `previous` itself when nothing changed at all.
 *
 * The client hands out a new object for each service a newer message
 * carries, even when its content is the same (the monitor sends every
 * service every few seconds), so without this one changed service would
 * re-render all 200 cards. With it a card re-renders only when its own
 * service changed: memoised components compare snapshots by identity.
 */
export function keepUnchanged(
  previous: readonly ServiceSnapshot[],
  next: readonly ServiceSnapshot[],
): readonly ServiceSnapshot[] {
  const held = new Map(previous.map((snapshot) => [snapshot.service, snapshot]));
  let reusedAll = previous.length === next.length;
  const merged = next.map((snapshot, index) => {
    const old = held.get(snapshot.service);
    if (old !== undefined && sameValue(old, snapshot)) {
      if (previous[index] !== old) reusedAll = false;
      return old;
    }
    reusedAll = false;
    return snapshot;
  });
  return reusedAll ? previous : merged;
}

/** Structural equality of JSON values (what a snapshot is made of). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameValue(item, b[index]))
    );
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
