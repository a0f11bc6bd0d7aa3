import type { ServiceSnapshot, ServiceUpdateMessage } from '@breakwater/protocol';
import { ClientError, clientErrorCodes } from './client-error';

/**
 * `connected`: the monitor accepted the token and streams updates.
 * `reconnecting`: the connection is lost (or the first attempt failed) and
 * another attempt is scheduled. `disconnected`: not connected and not
 * trying; the state before the first connection, and the final one after
 * `disconnect()`, a refused token or the last allowed attempt.
 */
export type ConnectionStatus = 'connected' | 'reconnecting' | 'disconnected';

/** The attempt a `reconnecting` status announces. */
export interface ReconnectAttempt {
  /** 1 for the first attempt after a loss. */
  readonly attempt: number;
  /** Ms until it starts. */
  readonly delay: number;
}

/** Every event of a `CircuitBreakerMonitor` and its listener. */
export interface MonitorEvents {
  /** The merged state changed: every service now, and the update that changed it. */
  serviceUpdate: (services: readonly ServiceSnapshot[], message: ServiceUpdateMessage) => void;
  /**
   * The connection status changed; `reconnecting` comes again before each
   * attempt, with its number and delay.
   */
  connectionStatus: (status: ConnectionStatus, reconnect?: ReconnectAttempt) => void;
  /** Something went wrong that no promise reports: a refused token, an error from the monitor… */
  error: (error: ClientError) => void;
}

export type MonitorEventName = keyof MonitorEvents;

const eventNames: ReadonlySet<string> = new Set<MonitorEventName>([
  'serviceUpdate',
  'connectionStatus',
  'error',
]);

/**
 * Listener lists per event. A listener that throws never breaks the client:
 * the throw is reported as an `error` event (`BW_LISTENER_FAILED`); one
 * thrown by an `error` listener is dropped, since reporting it would loop.
 */
export class MonitorListeners {
  readonly #lists = new Map<MonitorEventName, readonly unknown[]>();

  on<K extends MonitorEventName>(name: K, listener: MonitorEvents[K]): () => void {
    if (!eventNames.has(name)) {
      throw new ClientError(
        clientErrorCodes.invalidConfig,
        `Invalid argument event: expected 'serviceUpdate', 'connectionStatus' or 'error', got ${JSON.stringify(name)}`,
        { option: 'event' },
      );
    }
    if (typeof listener !== 'function') {
      throw new ClientError(
        clientErrorCodes.invalidConfig,
        `Invalid argument listener: expected a function to call on '${name}'`,
        { option: 'listener' },
      );
    }
    this.#lists.set(name, [...(this.#lists.get(name) ?? []), listener]);
    return () => {
      this.#lists.set(
        name,
        (this.#lists.get(name) ?? []).filter((entry) => entry !== listener),
      );
    };
  }

  emit<K extends MonitorEventName>(name: K, ...args: Parameters<MonitorEvents[K]>): void {
    // Lists are replaced, never mutated: a listener may (un)subscribe while this runs.
    for (const listener of this.#lists.get(name) ?? []) {
      try {
        (listener as (...values: Parameters<MonitorEvents[K]>) => void)(...args);
      } catch (cause) {
        if (name === 'error') continue;
        const reason = cause instanceof Error ? cause.message : String(cause);
        this.emit(
          'error',
          new ClientError(
            clientErrorCodes.listenerFailed,
            `A '${name}' listener threw: ${reason}`,
            { cause },
          ),
        );
      }
    }
  }
}
