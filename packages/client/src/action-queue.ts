import {
  type CircuitActionMessage,
  type CircuitActionReply,
  type CircuitActionType,
  closeCodes,
  type ErrorMessage,
} from '@breakwater/protocol';
import { ClientError, clientErrorCodes } from './client-error';

interface PendingAction {
  readonly type: CircuitActionType;
  readonly service: string;
  resolve(reply: CircuitActionReply): void;
  reject(error: ClientError): void;
}

/**
 * Operator actions, sent one at a time. The protocol's `error` messages name
 * no request, so the client keeps a single action on the wire: an `error`
 * that arrives while one waits is its answer. Actions asked for while
 * disconnected wait for the next connection; one on the wire when the
 * connection drops fails with `BW_CONNECTION_LOST`, since the monitor may or
 * may not have applied it.
 */
export class ActionQueue {
  readonly #waiting: PendingAction[] = [];
  #onWire: PendingAction | undefined;
  #send: ((message: CircuitActionMessage) => void) | undefined;
  #closed: ClientError | undefined;

  /** Queues an action; the promise settles with the monitor's reply or a `ClientError`. */
  request<T extends CircuitActionType>(type: T, service: string): Promise<CircuitActionReply<T>> {
    if (this.#closed !== undefined) return Promise.reject(this.#notSent(type, service));
    if (typeof service !== 'string' || service === '') {
      return Promise.reject(
        new ClientError(
          clientErrorCodes.invalidConfig,
          `Invalid argument service: expected a service name, got ${JSON.stringify(service)}`,
          { option: 'service', action: type },
        ),
      );
    }
    return new Promise<CircuitActionReply<T>>((resolve, reject) => {
      this.#waiting.push({
        type,
        service,
        resolve: resolve as (reply: CircuitActionReply) => void,
        reject,
      });
      this.#next();
    });
  }

  /** A connection is ready: actions go out through `send`. */
  connected(send: (message: CircuitActionMessage) => void): void {
    this.#send = send;
    this.#next();
  }

  /** The connection is gone: the action on the wire fails, the waiting ones wait for the next. */
  disconnected(): void {
    this.#send = undefined;
    const lost = this.#onWire;
    this.#onWire = undefined;
    lost?.reject(
      new ClientError(
        clientErrorCodes.connectionLost,
        `The connection closed before the monitor answered ${describe(lost)}: it may or may not have been applied`,
        { action: lost.type, service: lost.service },
      ),
    );
  }

  /** Settles the action on the wire with its reply; false when `reply` answers none. */
  reply(reply: CircuitActionReply): boolean {
    const action = this.#onWire;
    if (action === undefined || action.type !== reply.type || action.service !== reply.service) {
      return false;
    }
    this.#onWire = undefined;
    action.resolve(reply);
    this.#next();
    return true;
  }

  /** Fails the action on the wire with the monitor's `error`; false when none is on the wire. */
  refuse(message: ErrorMessage): boolean {
    const action = this.#onWire;
    if (action === undefined) return false;
    this.#onWire = undefined;
    const forbidden = message.code === closeCodes.forbidden;
    action.reject(
      new ClientError(
        forbidden ? clientErrorCodes.actionForbidden : clientErrorCodes.actionFailed,
        `${describe(action)} ${forbidden ? 'was refused' : 'failed'}: ${message.message} (${message.code})`,
        { closeCode: message.code, action: action.type, service: action.service },
      ),
    );
    this.#next();
    return true;
  }

  /** Fails every action, now and later, with a `BW_CLIENT_CLOSED` error whose cause is `cause`. */
  close(cause?: ClientError): void {
    this.#closed =
      cause ?? new ClientError(clientErrorCodes.clientClosed, 'disconnect() was called');
    this.#send = undefined;
    const onWire = this.#onWire;
    this.#onWire = undefined;
    onWire?.reject(
      new ClientError(
        clientErrorCodes.clientClosed,
        `No answer to ${describe(onWire)}: the client is disconnected for good (${this.#closed.message}); it may or may not have been applied`,
        { action: onWire.type, service: onWire.service, cause: this.#closed },
      ),
    );
    for (const action of this.#waiting.splice(0)) {
      action.reject(this.#notSent(action.type, action.service));
    }
  }

  #next(): void {
    if (this.#onWire !== undefined || this.#send === undefined) return;
    const action = this.#waiting.shift();
    if (action === undefined) return;
    this.#onWire = action;
    this.#send({ type: action.type, service: action.service });
  }

  #notSent(type: CircuitActionType, service: string): ClientError {
    return new ClientError(
      clientErrorCodes.clientClosed,
      `${describe({ type, service })} not sent: the client is disconnected for good (${this.#closed?.message})`,
      { action: type, service, cause: this.#closed },
    );
  }
}

function describe(action: { readonly type: CircuitActionType; readonly service: string }) {
  return `${action.type} of '${action.service}'`;
}
