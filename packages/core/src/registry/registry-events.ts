import { type BreakerEvents, breakerEventTypes } from '../breaker/breaker-events';
import type { Actor, AuditAction } from '../store/state-store';
import type { PersistableOptions } from './persistable-options';
import type { SharingStatus } from './sharing-status';

/** A breaker's event as the registry re-emits it: the same fields plus the service name. */
export type ServiceEvent<E> = E & { readonly service: string };

export interface ConfigChangeEvent {
  readonly type: 'configChange';
  readonly service: string;
  readonly at: number;
  readonly actor: Actor;
  readonly before: PersistableOptions;
  readonly after: PersistableOptions;
}

export interface ManualActionEvent {
  readonly type: 'manualAction';
  /** The service acted on, or `*` for all. */
  readonly service: string;
  readonly action: Exclude<AuditAction, 'configure' | 'refuse-access'>;
  readonly at: number;
  readonly actor: Actor;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * A store write failed (calls are never affected; the write is retried with
 * the next change), or the store held a record or override the registry
 * could not take up as written (`operation` names it, e.g. `restore(db)`;
 * `error` says what was left out or taken up differently).
 */
export interface StoreErrorEvent {
  readonly type: 'storeError';
  readonly at: number;
  readonly operation: string;
  readonly error: unknown;
}

/** A shared registry lost or regained its shared store (see `SharingStatus`). */
export interface SharingChangeEvent {
  readonly type: 'sharingChange';
  readonly at: number;
  readonly status: SharingStatus;
}

/** Breaker events that the registry forwards from every breaker. */
export type ForwardedEventType = Exclude<keyof BreakerEvents, 'error'>;

/** Every event a registry emits, by name. */
export type RegistryEvents = {
  [K in ForwardedEventType]: ServiceEvent<BreakerEvents[K]>;
} & {
  configChange: ConfigChangeEvent;
  manualAction: ManualActionEvent;
  storeError: StoreErrorEvent;
  sharingChange: SharingChangeEvent;
  error:
    | ServiceEvent<BreakerEvents['error']>
    | { readonly type: 'error'; readonly at: number; readonly error: unknown };
};

export const forwardedEventTypes: readonly ForwardedEventType[] = Object.freeze(
  breakerEventTypes.filter((type): type is ForwardedEventType => type !== 'error'),
);
