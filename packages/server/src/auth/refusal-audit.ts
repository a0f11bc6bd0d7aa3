/** Which limit turned a request away. */
export type RefusedLimit = 'auth-failures' | 'admin-actions';

/** What one `refuse-access` audit entry holds: the refusals of one period. */
export interface RefusalSummary {
  /** The period, ISO 8601: from its first refusal to when it was written. */
  readonly from: string;
  readonly until: string;
  /** Requests refused in the period. */
  readonly refused: number;
  /** Distinct clients refused (counted up to {@link maxTrackedClients}, then `clientsOverflow`). */
  readonly clients: number;
  /** Whether more clients were refused than could be told apart. */
  readonly clientsOverflow: boolean;
  /** The clients refused most, at most {@link maxListedClients}, most refused first. */
  readonly top: readonly { client: string; limit: RefusedLimit; refused: number }[];
}

export interface RefusalAuditOptions {
  /** Writes one summary (e.g. `registry.auditAccessRefusals`). A failure is reported, never thrown. */
  readonly write: (summary: RefusalSummary) => Promise<void>;
  /** Wall time, ms. Default `Date.now`. */
  readonly now?: () => number;
  /** How long one summary covers at least, ms. Default a minute. */
  readonly period?: number;
  /** Where a summary that could not be written is reported. Default `console.warn`. */
  readonly report?: (line: string) => void;
}

/** Clients told apart in one period; refusals of more are counted, not named. */
export const maxTrackedClients = 1_000;
/** Clients a summary names. */
export const maxListedClients = 5;
/** Longest client description kept (an address, or a token subject and an address). */
const maxClientLength = 100;

/**
 * Audits refused requests in bounded form: not one entry per refusal (a
 * flood would fill the audit log and push real entries out of its
 * retention), but at most one summary per period — how many, from how many
 * clients, and the few refused most. A period's summary is written when the
 * first refusal after it arrives, or at `flush()` (the monitor's stop), so
 * nothing runs on a timer.
 */
export class RefusalAudit {
  readonly #write: (summary: RefusalSummary) => Promise<void>;
  readonly #now: () => number;
  readonly #period: number;
  readonly #report: (line: string) => void;
  #periodStart = 0;
  #refused = 0;
  #clients = new Map<string, { limit: RefusedLimit; refused: number }>();
  #overflow = false;

  constructor(options: RefusalAuditOptions) {
    this.#write = options.write;
    this.#now = options.now ?? (() => Date.now());
    this.#period = options.period ?? 60_000;
    this.#report = options.report ?? ((line) => console.warn(line));
  }

  /** Counts one refused request of `client`. */
  note(client: string, limit: RefusedLimit): void {
    const now = this.#now();
    if (this.#refused > 0 && now - this.#periodStart >= this.#period) void this.flush();
    if (this.#refused === 0) this.#periodStart = now;
    this.#refused++;
    const key = client.length > maxClientLength ? `${client.slice(0, maxClientLength)}…` : client;
    const held = this.#clients.get(key);
    if (held !== undefined) held.refused++;
    else if (this.#clients.size < maxTrackedClients) this.#clients.set(key, { limit, refused: 1 });
    else this.#overflow = true;
  }

  /** Writes the summary of the refusals counted so far, if any. */
  async flush(): Promise<void> {
    if (this.#refused === 0) return;
    const summary: RefusalSummary = {
      from: new Date(this.#periodStart).toISOString(),
      until: new Date(this.#now()).toISOString(),
      refused: this.#refused,
      clients: this.#clients.size,
      clientsOverflow: this.#overflow,
      top: [...this.#clients]
        .sort(([, a], [, b]) => b.refused - a.refused)
        .slice(0, maxListedClients)
        .map(([client, { limit, refused }]) => ({ client, limit, refused })),
    };
    this.#refused = 0;
    this.#clients = new Map();
    this.#overflow = false;
    try {
      await this.#write(summary);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#report(`could not audit ${summary.refused} refused requests: ${reason}`);
    }
  }
}
