import type { Contender } from '../contenders';
import { type Entry, interleave, type Plan, type Summary } from '../measure';

/** One row of a timed scenario: a contender or a reference measurement. */
export interface TimedRow {
  readonly id: string;
  readonly label: string;
  readonly summary: Summary;
  /** A competing library (the rows Breakwater is compared with). */
  readonly peer: boolean;
}

/** What a timed scenario hands to the report. */
export interface TimedResult {
  readonly key: 'sequential' | 'failing' | 'rejection' | 'in-flight' | 'shared-promise';
  readonly title: string;
  readonly description: string;
  /** Id of the row the others are divided by and their overhead is measured from. */
  readonly baselineId: string;
  readonly rows: readonly TimedRow[];
  readonly plan: Plan;
  /** What one sample is, e.g. "20,000 sequential calls". */
  readonly sample: string;
  readonly notes: readonly string[];
}

/** A row to time: a contender, or a reference or variant measurement. */
export interface TimedEntry extends Entry {
  readonly label: string;
  readonly peer: boolean;
}

/** The entry that times `loop` over one contender. */
export function contenderEntry(
  contender: Contender,
  loop: (call: Contender['call']) => (ops: number) => Promise<void>,
): TimedEntry {
  return {
    id: contender.id,
    label: contender.label,
    peer: contender.id === 'opossum' || contender.id === 'cockatiel',
    run: loop(contender.call),
  };
}

/** Times the entries in interleaved rounds; the rows keep the entries' order. */
export async function timeEntries(entries: readonly TimedEntry[], plan: Plan): Promise<TimedRow[]> {
  const summaries = await interleave(entries, plan);
  return entries.map(({ id, label, peer }) => {
    const summary = summaries.get(id);
    if (summary === undefined) throw new Error(`no measurement for ${id}`);
    return { id, label, summary, peer };
  });
}

/** Throws unless every contender's circuit is in `expected` (a benchmark of the wrong path is worthless). */
export function expectCircuits(contenders: readonly Contender[], expected: string): void {
  for (const contender of contenders) {
    const state = contender.circuit();
    if (state !== expected) {
      throw new Error(`${contender.label}: circuit is ${state}, expected ${expected}`);
    }
  }
}

export function disposeAll(contenders: readonly Contender[]): void {
  for (const contender of contenders) contender.dispose();
}
