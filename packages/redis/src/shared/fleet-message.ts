import type { BreakerRecord, PersistableOptions } from '@breakwater/core';

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

/** Parses a message from the channel; undefined for anything that is not one of ours. */
export function parseFleetMessage(text: string): FleetMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { kind, from } = message as { kind?: unknown; from?: unknown };
  if (typeof from !== 'string') return undefined;
  if (kind === 'record') {
    const { record } = message as { record?: Partial<BreakerRecord> };
    if (typeof record?.name !== 'string' || typeof record.version !== 'number') return undefined;
    return message as FleetMessage;
  }
  if (kind === 'override') {
    const { service } = message as { service?: unknown };
    return typeof service === 'string' ? (message as FleetMessage) : undefined;
  }
  return undefined;
}

/** A record as the scripts take it: JSON whose first field is `"version":0` (see fleet-scripts). */
export function recordTemplate(record: BreakerRecord): string {
  const { version: _ignored, ...rest } = record;
  return JSON.stringify({ version: 0, ...rest });
}
