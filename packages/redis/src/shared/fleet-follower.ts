import type { BreakerRecord, PersistableOptions, SharedRegistry } from '@breakwater/core';
import type { RedisClient } from '../redis-connection';
import type { RedisKeys } from '../redis-keys';
import { type KeyedCommand, sendEach } from '../send-each';
import { readFleetMessage } from './fleet-message';
import { checkOverride, messageOf, sharedRecordFromStored } from './fleet-values';
import type { InstanceReports } from './instance-reports';
import type { SharingHealth } from './sharing-health';

/** What the follower needs to know of the sharing it works for. */
export interface FollowedSharing {
  readonly instance: string;
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly registry: SharedRegistry;
  readonly health: SharingHealth;
  readonly reports: InstanceReports;
}

/** The subjects `SharingHealth` keeps refusals under. */
export const subjects = {
  record: (name: string) => `record:${name}`,
  override: (name: string) => `override:${name}`,
  /** A fleet message that names no breaker: something may have been missed. */
  channel: 'channel',
  report: (instance: string | undefined) => `report:${instance ?? '?'}`,
};

/**
 * This instance's ear on the fleet: takes up the records and overrides other
 * instances publish, and — on joining, on reconnecting, and after a message
 * it could not read — everything the fleet's keys hold. Every value is
 * checked first; one that is malformed or from a newer version is never
 * applied or kept: it is refused through `SharingHealth` (sharing reads
 * degraded, with the reason, and one warning is logged) until a good value
 * for the same breaker comes. Nothing here throws into a Redis listener.
 */
export class FleetFollower {
  readonly #sharing: FollowedSharing;
  /** The newest shared version seen of each breaker. */
  readonly #versions = new Map<string, number>();
  /** Whether a message could not be read since the last catch-up. */
  #missed = false;

  constructor(sharing: FollowedSharing) {
    this.#sharing = sharing;
  }

  /** Whether the fleet's keys should be read again (a message was unreadable). */
  get missedSomething(): boolean {
    return this.#missed;
  }

  /** A message on one of the fleet's channels. */
  receive(channel: string, text: string): void {
    const { keys, health, reports } = this.#sharing;
    try {
      if (channel === keys.reportsChannel) {
        const refused = reports.receive(text);
        if (refused !== undefined)
          health.refuse(subjects.report(refused.from), refused.problem, true);
        return;
      }
      const read = readFleetMessage(text);
      if (read.problem !== undefined) {
        if (read.about === undefined) this.#refuseMessage(read.problem);
        else health.refuse(subjects[read.about.kind](read.about.name), read.problem);
        return;
      }
      const { message } = read;
      if (message.from === this.#sharing.instance) return;
      if (message.kind === 'record') this.adopt(message.record);
      else this.#adoptOverride(message.service, message.options);
    } catch (error) {
      this.#refuseMessage(`a fleet message could not be taken up (${messageOf(error)})`);
    }
  }

  /** Takes up a shared record newer than any seen (checked by the caller). */
  adopt(record: BreakerRecord): void {
    const { registry, health } = this.#sharing;
    if (record.version <= (this.#versions.get(record.name) ?? 0)) return;
    try {
      registry.adopt(record);
    } catch (error) {
      health.refuse(subjects.record(record.name), messageOf(error));
      return;
    }
    this.#versions.set(record.name, record.version);
    health.settle(subjects.record(record.name));
  }

  /** A record this instance wrote itself: its version is news, its content is not. */
  wrote(name: string, version: number): void {
    this.#versions.set(name, Math.max(version, this.#versions.get(name) ?? 0));
    this.#sharing.health.settle(subjects.record(name));
  }

  /**
   * Reads every shared record and override and takes them up; resolves with
   * the names of the breakers that have a record. What Redis holds now is the
   * fleet's state, whatever versions were seen before (a Redis restarted
   * empty numbers them from 1 again), so it is taken up as is — except where
   * `ours(name)` says a transition of this instance is still to be sent: the
   * transition script then decides between the two. Rejects on a Redis error.
   */
  async catchUp(ours: (name: string) => boolean): Promise<Set<string>> {
    const { redis, keys, registry } = this.#sharing;
    this.#missed = false;
    const names = await redis.smembers(keys.breakerIndex);
    const wanted = [...new Set([...names, ...registry.list()])];
    const replies = await sendEach(redis, [
      ...wanted.map((name): KeyedCommand => ['hget', keys.breaker(name), 'record']),
      ['hgetall', keys.overrides],
    ]);
    for (const [error] of replies) if (error) throw error;
    const found = new Set<string>();
    for (const [index, name] of wanted.entries()) {
      const text = replies[index]?.[1];
      if (typeof text === 'string' && this.#takeStored(name, text, ours(name))) found.add(name);
      if (typeof text !== 'string') this.#versions.delete(name);
    }
    const overrides = (replies[wanted.length]?.[1] ?? {}) as Record<string, string>;
    this.#takeOverrides(overrides);
    return found;
  }

  /** Takes up one stored record; false when it is not one (refused, named by its key). */
  #takeStored(name: string, text: string, ours: boolean): boolean {
    const { keys, registry, health } = this.#sharing;
    let record: BreakerRecord;
    try {
      record = sharedRecordFromStored(text, name, keys.breaker(name));
    } catch (error) {
      health.refuse(subjects.record(name), messageOf(error));
      return false;
    }
    const seen = this.#versions.get(name) ?? 0;
    if (record.version > seen || !ours) {
      try {
        registry.adopt(record);
      } catch (error) {
        health.refuse(subjects.record(name), messageOf(error));
        return false;
      }
    }
    this.#versions.set(name, record.version);
    health.settle(subjects.record(name));
    return true;
  }

  /** Takes up every stored override that differs from the one held here. */
  #takeOverrides(stored: Record<string, string>): void {
    const { keys, registry, health } = this.#sharing;
    for (const [service, text] of Object.entries(stored)) {
      let options: unknown;
      try {
        options = JSON.parse(text);
      } catch {
        health.refuse(
          subjects.override(service),
          `Redis key '${keys.overrides}', field '${service}', does not hold valid JSON`,
        );
        continue;
      }
      const checked = checkOverride(options);
      if (checked.problem !== undefined) {
        const where = `Redis key '${keys.overrides}', field '${service}',`;
        health.refuse(subjects.override(service), `the override in ${where} ${checked.problem}`);
        continue;
      }
      if (JSON.stringify(registry.override(service)) === JSON.stringify(checked.value)) {
        health.settle(subjects.override(service));
      } else {
        this.#adoptOverride(service, checked.value);
      }
    }
    // A refused override that is no longer stored has nothing left to take up.
    for (const subject of health.refusedSubjects(subjects.override(''))) {
      if (!(subject.slice(subjects.override('').length) in stored)) health.settle(subject);
    }
  }

  #adoptOverride(service: string, options: PersistableOptions | null): void {
    const { registry, health } = this.#sharing;
    try {
      registry.adoptOverride(service, options);
    } catch (error) {
      health.refuse(
        subjects.override(service),
        `the override of '${service}' cannot be applied here (${messageOf(error)})`,
      );
      return;
    }
    health.settle(subjects.override(service));
  }

  /** An unreadable message may have carried anything: refused, and the keys read again soon. */
  #refuseMessage(problem: string): void {
    this.#missed = true;
    this.#sharing.health.refuse(subjects.channel, problem, true);
  }
}
