import type { BreakerRecord, PersistableOptions } from '@breakwater/core';
import { checkOverride, excerpt, isObject, recordProblem } from './fleet-values';

/**
 * The format of fleet messages this version writes and reads. A message
 * without `format` is of format 1 (versions before the field). A newer
 * format is refused, not guessed at.
 */
export const fleetMessageFormat = 1;

/** What instances announce to each other on the fleet channel. */
export type FleetMessage =
  /** A shared breaker's new record (written by a script in the same step). */
  | { readonly kind: 'record'; readonly from: string; readonly record: BreakerRecord }
  /** A configuration change made through one instance (already stored and audited there). */
  | {
      readonly kind: 'override';
      readonly from: string;
      readonly service: string;
      readonly options: PersistableOptions | null;
    };

/**
 * A message from the channel, checked: the message, or what is wrong with it
 * and — when the message says — which breaker's record or override it is about.
 */
export type FleetMessageRead =
  | { readonly message: FleetMessage; readonly problem?: undefined }
  | {
      readonly problem: string;
      readonly about?: { readonly kind: FleetMessage['kind']; readonly name: string };
    };

/** Reads and checks a message from the fleet channel; never throws. */
export function readFleetMessage(text: string): FleetMessageRead {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { problem: `a fleet message is not JSON (${excerpt(text)})` };
  }
  if (!isObject(message)) return { problem: `a fleet message is not an object (${excerpt(text)})` };
  const { format = 1, kind, from } = message;
  if (typeof from !== 'string')
    return { problem: `a fleet message names no sender (${excerpt(text)})` };
  if (format !== fleetMessageFormat) {
    return {
      problem: `a fleet message from ${from} is in format ${excerpt(format)}; this version reads format ${fleetMessageFormat}: upgrade this instance`,
    };
  }
  if (kind === 'record') return readRecord(message.record, from);
  if (kind === 'override') return readOverride(message.service, message.options, from);
  return {
    problem: `a fleet message from ${from} is of an unknown kind ${excerpt(kind)}: sent by a newer version?`,
  };
}

function readRecord(record: unknown, from: string): FleetMessageRead {
  const name = isObject(record) ? record.name : undefined;
  if (typeof name !== 'string' || name === '')
    return {
      problem: `a fleet message from ${from} holds a record of no breaker (${excerpt(record)})`,
    };
  const problem = recordProblem(record as Partial<BreakerRecord>);
  if (problem !== undefined) {
    return {
      problem: `the shared record of '${name}' from ${from} holds ${problem}`,
      about: { kind: 'record', name },
    };
  }
  return { message: { kind: 'record', from, record: record as BreakerRecord } };
}

function readOverride(service: unknown, options: unknown, from: string): FleetMessageRead {
  if (typeof service !== 'string' || service === '')
    return {
      problem: `a fleet message from ${from} holds an override of no service (${excerpt(service)})`,
    };
  if (options === null) return { message: { kind: 'override', from, service, options: null } };
  const checked = checkOverride(options);
  if (checked.problem !== undefined) {
    return {
      problem: `the override of '${service}' from ${from} ${checked.problem}`,
      about: { kind: 'override', name: service },
    };
  }
  return { message: { kind: 'override', from, service, options: checked.value } };
}

/** A record as the scripts take it: JSON whose first field is `"version":0` (see fleet-scripts). */
export function recordTemplate(record: BreakerRecord): string {
  const { version: _ignored, ...rest } = record;
  return JSON.stringify({ version: 0, ...rest });
}
