import {
  type AuditEntry,
  type AuditResponse,
  auditPath,
  type HistoryPoint,
  type HistoryResponse,
  historyPath,
  type TransitionsResponse,
  transitionsPath,
} from './detail-api';
import { mergeHistory } from './history-window';
import { type TimelineRow, timelineRows } from './transition-timeline';

/** An authenticated GET on the monitor that throws an Error with the server's message. */
export type FetchJson = <T>(path: string) => Promise<T>;

/** What the detail view shows of a service. */
export interface ServiceDetailData {
  /** Until the first refresh answers. */
  readonly loading: boolean;
  /** The last refresh's error message (the server's), or undefined when it succeeded. */
  readonly error: string | undefined;
  /** Oldest first, the last hour. */
  readonly points: readonly HistoryPoint[];
  /** Ms between two points. */
  readonly interval: number;
  /** Newest first. */
  readonly timeline: readonly TimelineRow[];
}

export const loadingDetail: ServiceDetailData = Object.freeze({
  loading: true,
  error: undefined,
  points: [],
  interval: 5_000,
  timeline: [],
});

/**
 * One service's history and transitions, read again on each `refresh()`.
 * After the first read only the new points are asked for (`?since=` the
 * last one). With `readAudit`, the audit log, which names who made a
 * manual transition, is read when a new manual transition appears; it is
 * for admins only, so after one refusal it is not asked again and the
 * timeline shows no actors.
 */
export class DetailFeed {
  readonly #name: string;
  readonly #fetchJson: FetchJson;
  #data: ServiceDetailData = loadingDetail;
  #audit: readonly AuditEntry[] = [];
  #auditAllowed: boolean;
  /**
   * The newest manual transition whose actor is settled: found, or looked
   * for twice (its audit entry is written just after the transition, so one
   * read can fall in between).
   */
  #auditedUpTo: number | undefined;
  #readsForNewest = 0;

  constructor(name: string, fetchJson: FetchJson, { readAudit }: { readAudit: boolean }) {
    this.#name = name;
    this.#fetchJson = fetchJson;
    this.#auditAllowed = readAudit;
  }

  /** Reads what changed; never throws: a failure keeps the last data and sets `error`. */
  async refresh(): Promise<ServiceDetailData> {
    const name = this.#name;
    try {
      const [history, transitions] = await Promise.all([
        this.#fetchJson<HistoryResponse>(historyPath(name, this.#data.points.at(-1)?.at)),
        this.#fetchJson<TransitionsResponse>(transitionsPath(name)),
      ]);
      const manual = transitions.transitions.filter((entry) => entry.reason === 'manual');
      await this.#readAudit(manual.length === 0 ? undefined : Math.max(...manual.map((m) => m.at)));
      const timeline = timelineRows(name, transitions.transitions, this.#audit);
      const newestManual = timeline.find((row) => row.reason === 'manual');
      if (
        newestManual !== undefined &&
        (newestManual.actor !== undefined || this.#readsForNewest >= 2)
      ) {
        this.#auditedUpTo = newestManual.at;
        this.#readsForNewest = 0;
      }
      this.#data = {
        loading: false,
        error: undefined,
        points: mergeHistory(this.#data.points, history.points),
        interval: history.interval,
        timeline,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#data = { ...this.#data, loading: false, error: message };
    }
    return this.#data;
  }

  async #readAudit(newestManual: number | undefined): Promise<void> {
    if (!this.#auditAllowed || newestManual === undefined || newestManual === this.#auditedUpTo)
      return;
    try {
      this.#audit = (await this.#fetchJson<AuditResponse>(auditPath(this.#name))).entries;
      this.#readsForNewest++;
    } catch {
      this.#auditAllowed = false;
    }
  }
}
