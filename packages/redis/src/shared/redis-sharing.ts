import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BreakerRecord,
  type BreakerSharing,
  type CircuitBreaker,
  type InstanceReport,
  type ManualActionEvent,
  type SharedRegistry,
  type SharingStatus,
  StoreUnavailableError,
  type TrialOutcome,
  type TrialPermits,
} from '@breakwater/core';
import { isCluster, type RedisClient } from '../redis-connection';
import type { RedisKeys } from '../redis-keys';
import type { ResolvedRedisStoreOptions } from '../redis-store-options';
import { FleetCounts } from './fleet-counts';
import { FleetFollower, subjects } from './fleet-follower';
import { type FleetMessage, recordTemplate } from './fleet-message';
import { FleetReporting } from './fleet-reporting';
import { defineFleetScripts, type FleetScripts, type RecordReply } from './fleet-scripts';
import { FleetTrialPermits, type PermitSource } from './fleet-trial-permits';
import { checkOverride, messageOf, sharedRecordFromStored } from './fleet-values';
import { InstanceReports } from './instance-reports';
import { SharingHealth } from './sharing-health';
import { WarningLog } from './warning-log';

/** The parts of a RedisStore that sharing runs on. */
export interface SharingConnection {
  readonly redis: RedisClient;
  /** A second connection, for the fleet channel (a subscribed connection can do nothing else). */
  readonly subscriber: RedisClient;
  readonly keys: RedisKeys;
  readonly options: ResolvedRedisStoreOptions;
  /** How messages name the store's Redis (see `describeRedis`). */
  readonly target: string;
}

/** How often an instance tells the fleet what it sees while asked to, and a monitor asks, ms. */
const reportInterval = 1_000;
/**
 * How long after the last unreadable message or report this instance reads
 * `shared` again (having read the fleet's keys meanwhile), ms: a peer that
 * keeps sending bad ones keeps it degraded rather than flapping.
 */
const quietAfterRefusal = 3 * reportInterval;

/** Transitions a breaker makes by itself that are not announced: each instance makes them lazily. */
const localReasons: ReadonlySet<string> = new Set(['restored', 'shared', 'reset-timeout-elapsed']);

/**
 * One registry's breakers shared through Redis. Calls never touch Redis:
 * outcome counts are read off the breakers every `flushInterval` (or sooner,
 * after `flushBatchSize` failures) and merged by a script that may trip the
 * shared breaker (`FleetCounts`); transitions are written with a compare step and announced
 * on the fleet channel; half-open trials take leased permits. Any Redis error
 * turns the sharing `degraded`: breakers go on alone on local evidence, and
 * catch up with the fleet once Redis answers again. Meanwhile operators'
 * actions and configuration changes are refused here (`checkReachable`).
 * What comes from the fleet is checked before use (`FleetFollower`).
 */
export class RedisSharing implements BreakerSharing, PermitSource {
  readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #redis: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #scripts: FleetScripts;
  readonly #keys: RedisKeys;
  readonly #options: ResolvedRedisStoreOptions;
  readonly #target: string;
  readonly #registry: SharedRegistry;
  readonly #health: SharingHealth;
  readonly #follower: FleetFollower;
  readonly #counts: FleetCounts;
  /** Breakers whose latest transition is still to be announced, with whether an operator made it. */
  readonly #pending = new Map<string, boolean>();
  /**
   * Breakers an operator changed while degraded whose audit entry is not
   * written yet: announced only once it is (`manualAction`), so an action
   * that was refused for want of Redis never reaches the fleet.
   */
  readonly #unconfirmed = new Set<string>();
  /**
   * Breakers an operator changed whose transition went out (or is pending)
   * before its audit entry was written. Should Redis fail in between, the
   * action is refused (it rejects): reconnecting then drops its pending
   * transition, and the fleet's state undoes it here.
   */
  readonly #unaudited = new Set<string>();
  readonly #permits = new Map<string, FleetTrialPermits>();
  readonly #stops: Array<() => void> = [];
  readonly #reports: InstanceReports;
  readonly #reporting: FleetReporting;
  /** Every Redis write, one after another: a transition never overtakes an older one. */
  #chain: Promise<unknown> = Promise.resolve();
  #drainScheduled = false;
  #leases = 0;
  /** Permit requests on their way, so `flush()` can wait for them. */
  readonly #acquiring = new Set<Promise<unknown>>();
  #closed = false;

  private constructor(connection: SharingConnection, registry: SharedRegistry) {
    this.#redis = connection.redis;
    this.#subscriber = connection.subscriber;
    this.#scripts = defineFleetScripts(connection.redis);
    this.#keys = connection.keys;
    this.#options = connection.options;
    this.#target = connection.target;
    this.#registry = registry;
    const now = () => this.#now();
    const warnings = new WarningLog(connection.options.onWarning, now);
    this.#health = new SharingHealth(
      this.instance,
      now,
      (status) => registry.reportSharing(status),
      warnings,
    );
    this.#reports = new InstanceReports(
      this.instance,
      registry,
      reportInterval,
      () => this.#health.status().mode,
    );
    this.#reporting = new FleetReporting({
      instance: this.instance,
      redis: connection.redis,
      subscriber: connection.subscriber,
      keys: connection.keys,
      reports: this.#reports,
      interval: reportInterval,
      canSend: () => !this.degraded && !this.#closed,
      now,
      guard: (command) => this.#guard(command),
    });
    this.#follower = new FleetFollower({
      instance: this.instance,
      redis: connection.redis,
      keys: connection.keys,
      registry,
      health: this.#health,
      reports: this.#reports,
    });
    this.#counts = new FleetCounts({
      registry,
      redis: connection.redis,
      keys: connection.keys,
      instance: this.instance,
      flushBatchSize: connection.options.flushBatchSize,
      sharedWindow: connection.options.sharedWindow,
      now,
      degraded: () => this.degraded,
      serially: (work) => this.#serially(work),
      guard: (command) => this.#guard(command),
      degrade: (reason) => this.#degrade(reason),
      take: (name, reply) => this.#take(name, reply),
    });
  }

  /** Joins the fleet: subscribes, takes up every shared record, then follows and publishes. */
  static async start(
    connection: SharingConnection,
    registry: SharedRegistry,
  ): Promise<RedisSharing> {
    const sharing = new RedisSharing(connection, registry);
    await sharing.#join();
    return sharing;
  }

  /** Whether Redis is out of reach (trials are then budgeted locally, nothing is sent). */
  get degraded(): boolean {
    return !this.#health.reachable;
  }

  permitsFor(name: string): TrialPermits {
    let permits = this.#permits.get(name);
    if (permits === undefined) {
      permits = new FleetTrialPermits(name, this, this.#options.permitLease, () => this.#now());
      this.#permits.set(name, permits);
    }
    return permits;
  }

  status(): SharingStatus {
    return this.#health.status();
  }

  checkReachable(): void {
    if (this.#health.reachable) return;
    const why = this.#health.status().reason;
    throw new StoreUnavailableError(
      this.#target,
      `this instance cannot reach it (${why}): manual actions and configuration changes made here are refused until it is back, so the fleet never splits; make them through an instance that is connected`,
    );
  }

  /**
   * Every instance heard from recently, this one first. The first call makes
   * this instance a reader of reports: the others report to it from then
   * on, so the first answer may list this instance alone.
   */
  instances(): readonly InstanceReport[] {
    return this.#reporting.list();
  }

  async flush(): Promise<void> {
    await this.#reporting.settled();
    await Promise.allSettled([...this.#acquiring]);
    if (this.degraded) return;
    await this.#counts.sending;
    await this.#counts.send();
    await this.#drain();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#stops.splice(0)) stop();
    await this.flush().catch(() => {});
    await this.#chain.catch(() => {});
    this.#subscriber.disconnect();
  }

  // ── PermitSource ───────────────────────────────────────────────────────

  async acquire(breaker: string): Promise<string | undefined> {
    const limit = this.#registry.get(breaker)?.options.halfOpenMaxCalls ?? 1;
    const lease = `${this.instance}:${++this.#leases}`;
    const request = this.#guard(() =>
      this.#scripts.breakwaterAcquirePermit(
        this.#keys.permits(breaker),
        String(this.#now()),
        String(this.#options.permitLease),
        String(limit),
        lease,
      ),
    );
    this.#acquiring.add(request);
    const taken = await request.finally(() => this.#acquiring.delete(request));
    return taken === 1 ? lease : undefined;
  }

  release(breaker: string, lease: string, outcome: TrialOutcome): void {
    const successThreshold = this.#registry.get(breaker)?.options.successThreshold ?? 1;
    void this.#serially(async () => {
      const reply = await this.#guard(() =>
        this.#scripts.breakwaterReleasePermit(
          this.#keys.permits(breaker),
          this.#keys.breaker(breaker),
          this.#keys.window(breaker),
          lease,
          outcome,
          String(successThreshold),
          String(this.#now()),
          this.#keys.fleetChannel,
          this.instance,
        ),
      );
      if (reply !== undefined) this.#take(breaker, reply);
    });
  }

  // ── joining and following ─────────────────────────────────────────────

  async #join(): Promise<void> {
    this.#subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.#keys.reportRequestsChannel) this.#reporting.asked(text);
      else this.#follower.receive(channel, text);
    });
    await this.#subscriber.subscribe(...this.#channels());
    await this.#follower.catchUp((name) => this.#pending.has(name));
    const registry = this.#registry;
    this.#stops.push(
      registry.on('stateChange', (event) => {
        this.#reporting.soon();
        if (localReasons.has(event.reason)) return;
        const manual = event.reason === 'manual';
        if (manual && this.degraded) {
          this.#unconfirmed.add(event.service);
          return;
        }
        if (manual) this.#unaudited.add(event.service);
        this.#announce(event.service, manual);
      }),
      registry.on('manualAction', (event) => {
        const names = event.service === '*' ? registry.list() : [event.service];
        for (const name of names) {
          this.#unaudited.delete(name);
          const awaited = this.#unconfirmed.delete(name);
          // Its stateChange announced it already, unless it waited for this
          // audit entry or changed no state (a reset of a closed breaker,
          // after which the fleet's counts must restart too).
          if (awaited || unchanged(event, name)) this.#announce(name, true);
        }
      }),
      registry.on('configChange', (event) => {
        // Checked like what comes in: nothing this version would refuse goes out.
        const checked = checkOverride(event.after);
        if (checked.problem !== undefined) {
          const what = `the configuration of '${event.service}' was not announced to the fleet`;
          this.#health.warn(`${what}: it ${checked.problem}`);
          return;
        }
        void this.#publish({
          kind: 'override',
          from: this.instance,
          service: event.service,
          options: checked.value,
        });
      }),
      registry.on('failure', () => this.#counts.failed()),
    );
    // Without its subscriber an instance misses the fleet's transitions: it is out of step too.
    const onClose = () => this.#degrade('the connection to Redis was lost');
    const onReady = () => this.#background(this.#reconcile());
    for (const client of [this.#redis, this.#subscriber]) {
      client.on('close', onClose);
      client.on('ready', onReady);
      this.#stops.push(() => {
        client.off('close', onClose);
        client.off('ready', onReady);
      });
    }
    if (isCluster(this.#redis)) this.#watchNodes();
    const ticker = setInterval(() => this.#background(this.#tick()), this.#options.flushInterval);
    ticker.unref();
    const reporter = setInterval(() => this.#background(this.#everySecond()), reportInterval);
    reporter.unref();
    this.#stops.push(
      () => clearInterval(ticker),
      () => clearInterval(reporter),
    );
    this.#background(this.#reporting.report());
  }

  /**
   * On Cluster the client stays `ready` while one node is lost: its slots
   * fail, and a subscription held there is moved to another node, messages
   * published meanwhile lost. So losing any node reads as an outage; the
   * next tick reconciles (subscribes again, reads every shared record), which
   * succeeds once a replica serves those slots.
   */
  #watchNodes(): void {
    const onNodeLost = (node: { options: { host?: string; port?: number } }) => {
      const { host, port } = node.options;
      this.#degrade(`the connection to Redis Cluster node ${host}:${port} was lost`);
    };
    for (const client of [this.#redis, this.#subscriber]) {
      client.on('-node', onNodeLost);
      this.#stops.push(() => client.off('-node', onNodeLost));
    }
  }

  // ── announcing transitions ────────────────────────────────────────────

  #announce(name: string, manual: boolean): void {
    this.#pending.set(name, manual || (this.#pending.get(name) ?? false));
    if (this.#drainScheduled || this.degraded) return;
    this.#drainScheduled = true;
    queueMicrotask(() => {
      this.#drainScheduled = false;
      this.#background(this.#drain());
    });
  }

  /** Writes the latest record of every breaker with a pending transition. */
  #drain(): Promise<void> {
    return this.#serially(async () => {
      for (const [name, manual] of [...this.#pending]) {
        if (this.degraded) return;
        const breaker = this.#registry.get(name);
        this.#pending.delete(name);
        if (breaker === undefined) continue;
        const reply = await this.#guard(() => this.#transition(breaker, manual));
        if (reply === undefined) {
          // Not written: announce it when Redis is back (unless a newer one is queued).
          if (!this.#pending.has(name)) this.#pending.set(name, manual);
          return;
        }
        // Written: the record is this breaker's own, which may have moved on
        // since (taking it up would undo that); only its version is news.
        if (reply[0] === 1) this.#wrote(name, reply[1]);
        else this.#take(name, reply);
      }
    });
  }

  #transition(breaker: CircuitBreaker, manual: boolean): Promise<RecordReply> {
    const record = breaker.toRecord();
    return this.#scripts.breakwaterTransition(
      this.#keys.breaker(breaker.name),
      this.#keys.window(breaker.name),
      recordTemplate(record),
      record.state,
      String(record.stateSince),
      manual ? '1' : '0',
      String(this.#now()),
      this.#keys.fleetChannel,
      this.instance,
    );
  }

  /**
   * A script's reply about breaker `name`: a record it wrote (ours to keep)
   * or the shared one that won (ours to take up). A refused write passes the
   * stored value back as it is: when that is not a record this breaker can
   * take up (another tool or version wrote the key), that breaker is out of
   * step, named by the key, as when catching up, and goes on alone.
   */
  #take(name: string, [written, version, json]: RecordReply): void {
    if (version === undefined || json === undefined) return;
    let stored: BreakerRecord;
    try {
      stored = sharedRecordFromStored(json, name, this.#keys.breaker(name));
    } catch (error) {
      this.#health.refuse(subjects.record(name), messageOf(error));
      return;
    }
    const record = { ...stored, version };
    if (written === 1) this.#index(name);
    this.#follower.adopt(record);
  }

  #wrote(name: string, version: number | undefined): void {
    if (version === undefined) return;
    this.#index(name);
    this.#follower.wrote(name, version);
  }

  /** Lists a written breaker in the index set: a key of another slot, so not inside the script. */
  #index(name: string): void {
    void this.#redis.sadd(this.#keys.breakerIndex, name).catch(() => {});
  }

  /**
   * Once a second: the report exchange, a fresh read of the fleet's keys after a
   * message that could not be read, and the end of refusals nothing has
   * repeated for a while.
   */
  async #everySecond(): Promise<void> {
    if (this.#closed) return;
    await this.#reporting.tick();
    if (this.degraded) return;
    if (this.#follower.missedSomething) {
      await this.#serially(() => this.#follower.catchUp((name) => this.#pending.has(name))).catch(
        (error: unknown) => this.#degrade(messageOf(error)),
      );
    }
    if (!this.#follower.missedSomething) this.#health.lapse(quietAfterRefusal);
  }

  /** The channels this instance listens to: the fleet's, and those of the reports. */
  #channels(): string[] {
    return [this.#keys.fleetChannel, ...this.#reporting.channels()];
  }

  async #publish(message: FleetMessage): Promise<void> {
    await this.#guard(() => this.#redis.publish(this.#keys.fleetChannel, JSON.stringify(message)));
  }

  // ── every flushInterval ───────────────────────────────────────────────

  /** Sends the counts (`FleetCounts`), or, while degraded, tries to reconcile once Redis answers. */
  async #tick(): Promise<void> {
    if (this.#closed) return;
    if (this.degraded) {
      if (this.#redis.status === 'ready') await this.#reconcile();
      return;
    }
    await this.#counts.send();
  }

  // ── outages ───────────────────────────────────────────────────────────

  /** Runs `command`; on any Redis error turns degraded and resolves undefined. */
  async #guard<T>(command: () => Promise<T>): Promise<T | undefined> {
    try {
      return await command();
    } catch (error) {
      this.#degrade(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  #degrade(reason: string): void {
    if (this.#closed) return;
    this.#health.lost(reason);
  }

  /** Runs work nobody awaits: an error in it must never become an unhandled rejection. */
  #background(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.#degrade(`unexpected error: ${messageOf(error)}`));
  }

  #reconciling = false;

  /**
   * Back in touch with Redis: take up what the fleet decided meanwhile, then
   * announce what happened here (a shared open period that has not ended
   * wins over a local close), and send the counts kept meanwhile. An
   * operator's action whose audit entry was never written was refused: it
   * is not sent, and the fleet's state replaces it here.
   */
  async #reconcile(): Promise<void> {
    if (!this.degraded || this.#reconciling || this.#closed) return;
    this.#reconciling = true;
    try {
      // Subscribed again before reading, so nothing written after the read goes unseen.
      await this.#subscriber.subscribe(...this.#channels());
      const refused = new Set([...this.#unconfirmed, ...this.#unaudited]);
      for (const name of this.#unaudited) if (this.#pending.get(name)) this.#pending.delete(name);
      const found = await this.#follower.catchUp((name) => this.#pending.has(name));
      for (const name of this.#registry.list()) {
        const breaker = this.#registry.get(name);
        if (breaker === undefined || found.has(name)) continue;
        if (refused.has(name)) {
          // The fleet never wrote this breaker: its state is the one every breaker starts in.
          if (breaker.state !== 'closed') this.#registry.adopt(closedRecord(breaker, this.#now()));
        } else if (breaker.state !== 'closed') {
          // Redis came back empty (restarted without persistence): re-seed what is not closed.
          this.#pending.set(name, this.#pending.get(name) ?? false);
        }
      }
      this.#unconfirmed.clear();
      this.#unaudited.clear();
      this.#health.regained();
      await this.#drain();
      await this.#counts.send();
      if (!this.degraded) this.#health.announce();
    } catch (error) {
      this.#health.stillLost(messageOf(error));
    } finally {
      this.#reconciling = false;
    }
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(work);
    this.#chain = result.catch(() => {});
    return result;
  }

  #now(): number {
    return Math.round(this.#registry.clock.now());
  }
}

/** `breaker`'s record with the state every breaker starts in: closed, since `now`. */
function closedRecord(breaker: CircuitBreaker, now: number): BreakerRecord {
  return { ...breaker.toRecord(), state: 'closed', stateSince: now, openUntil: null };
}

/** Whether a manual action left `name` in the state it found it in. */
function unchanged(event: ManualActionEvent, name: string): boolean {
  if (event.service !== '*') return event.before === event.after;
  const before = event.before as Record<string, string>;
  const after = event.after as Record<string, string>;
  return before[name] === after[name];
}
