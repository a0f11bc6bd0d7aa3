/** A stretch of demo time during which every call to one service fails. */
export interface Incident {
  readonly service: string;
  /** Demo ms (since the start) from which calls fail. */
  readonly fromMs: number;
  /** Demo ms from which calls succeed again. */
  readonly toMs: number;
  /** What the header says about it. */
  readonly description: string;
  /** Demo ms by which its effects are over, when that is well after `toMs` (the header suggests a long enough run). */
  readonly settlesMs?: number;
}

/**
 * The injected outages, in demo time (÷20, see `timeScale`), of one pass of
 * the story (it repeats every {@link storyMs}), against
 * examples/degenduel.yaml's settings (failures counted in a 15 s window, one
 * successful trial closes):
 * - vanity-wallet is down from 1 s to 18 s: it opens at once and its trials
 *   at ~3.6 s, ~8.1 s and ~17.1 s fail, so recovery is exhausted (the open
 *   period has backed off to the 15 s cap); it closes at ~32 s.
 * - market-data is down from 3 s to 12 s: it opens, its trials at ~4.7 s and
 *   ~7.7 s fail (next open periods 3 s and 6 s), and those from ~13.7 s
 *   close it.
 * - contest-evaluation blips from 7 s to 7.5 s: 5 failed calls, below its
 *   threshold of 10, so it never opens.
 */
export const incidents: readonly Incident[] = Object.freeze([
  {
    service: 'vanity-wallet',
    fromMs: 1_000,
    toMs: 18_000,
    description: 'slow to recover: 3 failed trials exhaust recovery; closes at ~32 s',
    settlesMs: 35_000,
  },
  {
    service: 'market-data',
    fromMs: 3_000,
    toMs: 12_000,
    description: 'hard outage: opens, backs off ×2 and ×4, recovers',
  },
  {
    service: 'contest-evaluation',
    fromMs: 7_000,
    toMs: 7_500,
    description: 'blip: a few failed calls, below its threshold',
  },
]);

/**
 * The story's length: its outages come back every 45 s of demo time, so a
 * demo that runs until Ctrl-C (serving the dashboard) keeps showing them.
 * By then every circuit has been closed long enough (`minHealthyPeriod`)
 * for its backoff to start over, so each pass plays out like the first.
 */
export const storyMs = 45_000;

/**
 * Chance that a call outside any incident fails anyway (background noise).
 * Low: a failure marks its service degraded for the whole monitoring window.
 */
export const noiseRate = 0.002;

/** What a simulated call fails with. */
export class SimulatedFailure extends Error {
  override readonly name = 'SimulatedFailure';
}

/**
 * Decides the outcome of each simulated call: the incident script, repeated
 * every {@link storyMs}, plus seeded background noise.
 */
export class Scenario {
  readonly incidents: readonly Incident[];
  readonly #random: () => number;

  /** @param random numbers in [0, 1) for the background noise (seed it for a repeatable run). */
  constructor(scenarioIncidents: readonly Incident[], random: () => number) {
    this.incidents = scenarioIncidents;
    this.#random = random;
  }

  /** The error a call to `service` at demo time `atMs` fails with, or undefined when it succeeds. */
  failureAt(service: string, atMs: number): SimulatedFailure | undefined {
    const inStory = atMs % storyMs;
    const incident = this.incidents.find(
      (candidate) =>
        candidate.service === service && inStory >= candidate.fromMs && inStory < candidate.toMs,
    );
    if (incident !== undefined) return new SimulatedFailure(`${service} is down`);
    if (this.#random() < noiseRate) return new SimulatedFailure(`${service}: transient error`);
    return undefined;
  }
}
