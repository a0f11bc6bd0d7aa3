import type { InstanceReport } from '@breakwater/core';
import type { RedisClient } from '../redis-connection';
import type { RedisKeys } from '../redis-keys';
import type { InstanceReports } from './instance-reports';
import { ReportDemand } from './report-demand';

/** What the report exchange needs of the sharing it works for. */
export interface ReportingSharing {
  readonly instance: string;
  readonly redis: RedisClient;
  readonly subscriber: RedisClient;
  readonly keys: RedisKeys;
  readonly reports: InstanceReports;
  /** How often reports go out while asked for, and requests while reading, ms. */
  readonly interval: number;
  /** Whether anything may be sent now: Redis in reach, sharing not closed. */
  canSend(): boolean;
  now(): number;
  /** Runs a Redis command; an error turns the sharing degraded and resolves undefined. */
  guard<T>(command: () => Promise<T>): Promise<T | undefined>;
}

/**
 * The exchange of instance reports. An instance that shows the fleet
 * becomes a reader on its first `list()`: it subscribes to the reports and
 * asks for them every interval on the requests channel. Every instance
 * reports while asked (`ReportDemand`): every interval, after its
 * transitions (`soon`), and at once to a new asker.
 */
export class FleetReporting {
  readonly #sharing: ReportingSharing;
  readonly #demand: ReportDemand;
  /** Set once this instance reads reports; settles once it listens and has asked. */
  #reading: Promise<void> | undefined;
  #scheduled = false;

  constructor(sharing: ReportingSharing) {
    this.#sharing = sharing;
    this.#demand = new ReportDemand(sharing.interval);
  }

  /** This instance and those heard from recently; the first call makes this instance a reader. */
  list(): InstanceReport[] {
    this.#reading ??= this.#startReading();
    return this.#sharing.reports.list();
  }

  /** Resolves once a reader listens and has asked (at once for an instance that never listed). */
  async settled(): Promise<void> {
    await this.#reading;
  }

  /** The report channels to subscribe to: the requests, and the reports once reading. */
  channels(): string[] {
    const { reportRequestsChannel, reportsChannel } = this.#sharing.keys;
    return this.#reading === undefined
      ? [reportRequestsChannel]
      : [reportRequestsChannel, reportsChannel];
  }

  /** A request for reports, naming who asks: a new asker gets this instance's report at once. */
  asked(asker: string): void {
    // Only a key to remember the asker by: a long one is cut, never kept whole.
    if (this.#demand.heard(asker.slice(0, 200), this.#sharing.now())) this.soon();
  }

  /** A report after the current burst of transitions, so the fleet view follows them closely. */
  soon(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.report();
    });
  }

  /** Every interval: a reader asks again, and an instance asked for reports reports. */
  async tick(): Promise<void> {
    if (this.#reading !== undefined) await this.#ask();
    await this.report();
  }

  /** Tells the fleet what this instance sees: only while asked to, and only when it can send. */
  async report(): Promise<void> {
    const sharing = this.#sharing;
    if (!sharing.canSend() || !this.#demand.wanted(sharing.now())) return;
    const report = JSON.stringify(sharing.reports.own());
    await sharing.guard(() => sharing.redis.publish(sharing.keys.reportsChannel, report));
  }

  async #startReading(): Promise<void> {
    const { subscriber, keys, guard } = this.#sharing;
    await guard(() => subscriber.subscribe(keys.reportsChannel));
    await this.#ask();
  }

  async #ask(): Promise<void> {
    const sharing = this.#sharing;
    if (!sharing.canSend()) return;
    const { redis, keys, instance } = sharing;
    await sharing.guard(() => redis.publish(keys.reportRequestsChannel, instance));
  }
}
