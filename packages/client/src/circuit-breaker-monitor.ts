import {
  type CircuitActionReply,
  type CircuitActionType,
  closeCodes,
  parseServerMessage,
  type ServerMessage,
  type ServiceSnapshot,
} from '@breakwater/protocol';
import { ActionQueue } from './action-queue';
import { backoffDelay } from './backoff';
import { ClientError, type ClientErrorDetails, clientErrorCodes } from './client-error';
import {
  type ConnectionStatus,
  type MonitorEventName,
  type MonitorEvents,
  MonitorListeners,
  type ReconnectAttempt,
} from './monitor-events';
import {
  type CircuitBreakerMonitorOptions,
  type ResolvedOptions,
  resolveOptions,
} from './monitor-options';
import { ServiceState } from './service-state';
import type { WebSocketLike } from './websocket-like';

const ignore = (): void => {};

/**
 * A live view of a Breakwater monitor's circuit breakers over its v2
 * WebSocket stream, for browsers and Node. It connects at once, keeps
 * `services` up to date (updates applied in timestamp order), reconnects
 * with exponential backoff and full jitter, and sends operator actions for
 * admin tokens.
 *
 * ```ts
 * const monitor = new CircuitBreakerMonitor({ url: 'ws://127.0.0.1:8080/api/v2/ws/circuit-breaker', token });
 * monitor.on('serviceUpdate', (services) => render(services));
 * await monitor.reset('market-data');
 * monitor.disconnect();
 * ```
 */
export class CircuitBreakerMonitor {
  readonly #options: ResolvedOptions;
  readonly #listeners = new MonitorListeners();
  readonly #state = new ServiceState();
  readonly #actions = new ActionQueue();
  #status: ConnectionStatus = 'disconnected';
  #socket: WebSocketLike | undefined;
  /** True until the first `service:update` of the current connection: the full state. */
  #awaitingFullState = false;
  /** Attempts since the last connection the monitor accepted. */
  #failedAttempts = 0;
  #retryTimer: unknown;
  /** Set once the client stops for good. */
  #stopped = false;

  /** Checks the options (a bad one throws `BW_INVALID_CONFIG`) and starts connecting. */
  constructor(options: CircuitBreakerMonitorOptions) {
    this.#options = resolveOptions(options);
    // Connect after the caller has had a chance to subscribe to events.
    queueMicrotask(() => this.#connect());
  }

  /** Every service the monitor has told about, in its order; a new array after each change. */
  get services(): readonly ServiceSnapshot[] {
    return this.#state.services;
  }

  /** The connection status; `disconnected` until the first connection is made. */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends MonitorEventName>(event: K, listener: MonitorEvents[K]): () => void {
    return this.#listeners.on(event, listener);
  }

  /** Closes the connection for good: no reconnection, and pending actions fail (`BW_CLIENT_CLOSED`). */
  disconnect(): void {
    if (this.#stopped) return;
    this.#stop(undefined);
  }

  /** Closes the service's circuit (admin). Rejects with a `ClientError`, `BW_ACTION_FORBIDDEN` for a viewer. */
  reset(service: string): Promise<CircuitActionReply<'circuit:reset'>> {
    return this.#act('circuit:reset', service);
  }

  /** Rejects every call to the service until released (admin). */
  forceOpen(service: string): Promise<CircuitActionReply<'circuit:force-open'>> {
    return this.#act('circuit:force-open', service);
  }

  /** Lets every call to the service through without tripping until released (admin). */
  disable(service: string): Promise<CircuitActionReply<'circuit:disable'>> {
    return this.#act('circuit:disable', service);
  }

  /** Ends force-open or disable: the circuit closes (admin). */
  release(service: string): Promise<CircuitActionReply<'circuit:release'>> {
    return this.#act('circuit:release', service);
  }

  #act<T extends CircuitActionType>(type: T, service: string): Promise<CircuitActionReply<T>> {
    return this.#actions.request(type, service);
  }

  #connect(): void {
    this.#retryTimer = undefined;
    if (this.#stopped) return;
    let socket: WebSocketLike;
    try {
      // The token as the subprotocol: browsers cannot set headers on a WebSocket.
      socket = new this.#options.WebSocket(this.#options.url, this.#options.token);
    } catch (cause) {
      this.#report(`Cannot open a WebSocket: ${messageOf(cause)}`, { cause });
      this.#retry();
      return;
    }
    this.#socket = socket;
    this.#awaitingFullState = true;
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => this.#lost(socket, event.code, event.reason);
    socket.onerror = ignore; // a close follows, with the code that says more
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.#report('The monitor sent a binary frame; ignored');
      return;
    }
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      this.#report(`Unreadable message from the monitor: ${parsed.reason}`);
      return;
    }
    this.#handle(parsed.message);
  }

  #handle(message: ServerMessage): void {
    switch (message.type) {
      case 'connection:status':
        if (message.status === 'connected') this.#accepted();
        return;
      case 'service:update': {
        const full = this.#awaitingFullState;
        this.#awaitingFullState = false;
        if (full) this.#state.replace(message);
        else if (!this.#state.merge(message)) return;
        this.#listeners.emit('serviceUpdate', this.#state.services, message);
        return;
      }
      case 'error':
        // 4001 is followed by a close with that code, which stops the client.
        if (message.code === closeCodes.unauthorized || this.#actions.refuse(message)) return;
        this.#report(`The monitor sent error ${message.code}: ${message.message}`, {
          closeCode: message.code,
        });
        return;
      case 'circuit:reset':
      case 'circuit:force-open':
      case 'circuit:disable':
      case 'circuit:release':
        this.#actions.reply(message);
        return;
      case 'pong':
      case 'health:check':
        return;
    }
  }

  /** The monitor took the token: count attempts afresh, (re)subscribe, send waiting actions. */
  #accepted(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#failedAttempts = 0;
    const send = (message: object) => {
      try {
        socket.send(JSON.stringify(message));
      } catch {
        // Closing already: the close event that follows fails what was on the wire.
      }
    };
    send({ type: 'subscribe:services' });
    this.#setStatus('connected');
    if (this.#stopped) return; // a listener called disconnect()
    this.#actions.connected(send);
  }

  #lost(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    detach(socket);
    this.#socket = undefined;
    this.#actions.disconnected();
    if (code === closeCodes.unauthorized) {
      const why = reason === '' ? 'Authentication failed' : reason;
      this.#stop(
        new ClientError(
          clientErrorCodes.tokenRefused,
          `The monitor refused the token (${code}: ${why}); not reconnecting`,
          { closeCode: code },
        ),
      );
      return;
    }
    this.#retry();
  }

  /** Schedules the next attempt, or gives up when none is left. */
  #retry(): void {
    if (this.#stopped) return;
    const { reconnect, clock, random } = this.#options;
    if (this.#failedAttempts >= reconnect.maxAttempts) {
      const attempts = reconnect.maxAttempts;
      this.#stop(
        new ClientError(
          clientErrorCodes.reconnectGaveUp,
          attempts === 0
            ? 'The connection to the monitor is lost and reconnecting is off'
            : `Gave up reconnecting to the monitor after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
        ),
      );
      return;
    }
    const delay = backoffDelay(reconnect, this.#failedAttempts, random);
    this.#failedAttempts += 1;
    this.#retryTimer = clock.setTimeout(() => this.#connect(), delay);
    this.#setStatus('reconnecting', { attempt: this.#failedAttempts, delay });
  }

  /** Stops for good; `reason` (unless it is `disconnect()`) is reported as an `error` first. */
  #stop(reason: ClientError | undefined): void {
    this.#stopped = true;
    if (this.#retryTimer !== undefined) this.#options.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket !== undefined) {
      detach(socket);
      socket.close(1000, 'Client disconnected');
    }
    this.#actions.close(reason);
    if (reason !== undefined) this.#listeners.emit('error', reason);
    // Always announced, once: even when no connection was ever made.
    this.#status = 'disconnected';
    this.#listeners.emit('connectionStatus', 'disconnected');
  }

  #setStatus(status: ConnectionStatus, attempt?: ReconnectAttempt): void {
    if (status === this.#status && attempt === undefined) return;
    this.#status = status;
    if (attempt === undefined) this.#listeners.emit('connectionStatus', status);
    else this.#listeners.emit('connectionStatus', status, attempt);
  }

  /** An `error` event for what the stream did wrong; the client carries on. */
  #report(message: string, details?: ClientErrorDetails): void {
    this.#listeners.emit('error', new ClientError(clientErrorCodes.streamError, message, details));
  }
}

/** Stops listening to a socket; its late `error` events (`ws` emits some after close) are ignored. */
function detach(socket: WebSocketLike): void {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onopen = null;
  socket.onerror = ignore;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
