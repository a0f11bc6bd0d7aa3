import { type Actor, excerpt } from '@breakwater/core';
import {
  type CircuitActionType,
  type ClientMessage,
  closeCodes,
  type ServerMessage,
  type ServiceUpdateMessage,
} from '@breakwater/protocol';
import { parseClientMessage } from '@breakwater/protocol/schema';
import type { WebSocket } from 'ws';
import { RateLimiter } from './rate-limiter';

/** Who a token belongs to. */
export interface Principal {
  readonly sub: string;
  readonly role: 'admin' | 'viewer';
}

/** What a connection asks of the stream it belongs to. */
export interface StreamHost {
  /** A full update for the services that pass `wants`. */
  snapshot(wants: (service: string) => boolean): ServiceUpdateMessage;
  /** Whether `service` is a service of the registry now: only those can be subscribed. */
  knows(service: string): boolean;
  healthCheck(): ServerMessage;
  /** Applies an operator action; answers with its reply, or an `error` message when it failed. */
  act(action: CircuitActionType, service: string, actor: Actor): Promise<ServerMessage>;
  now(): number;
}

/** How much a connection may hold unsent, and what it costs a client to go over. */
export interface ConnectionLimits {
  readonly rateLimitPerMinute: number;
  /**
   * Unsent bytes above which updates to this client are skipped (the next
   * full update replaces them) and at which a heartbeat drops it: a client
   * that reads slower than the fleet changes must not grow server memory.
   */
  readonly maxBufferedBytes: number;
}

/** A broadcast is one object shared by every connection: serialize it once, not once per client. */
const serialized = new WeakMap<ServerMessage, string>();

/**
 * One authenticated client: its subscription, its rate budget and its
 * liveness. Sends never throw; a send to a closed socket is dropped.
 *
 * A subscription holds only names of services the registry has: any other
 * name is refused (an `error` naming how many), never stored, so the memory
 * a client can make the server hold is bounded by the registry, not by what
 * it sends.
 */
export class StreamConnection {
  readonly socket: WebSocket;
  readonly principal: Principal;
  /** Subscribed to every service (minus `#excluded`), else only to `#included`. */
  #all = false;
  readonly #included = new Set<string>();
  readonly #excluded = new Set<string>();
  #alive = true;
  readonly #limiter: RateLimiter;
  readonly #host: StreamHost;
  readonly #maxBufferedBytes: number;

  constructor(socket: WebSocket, principal: Principal, host: StreamHost, limits: ConnectionLimits) {
    this.socket = socket;
    this.principal = principal;
    this.#host = host;
    this.#maxBufferedBytes = limits.maxBufferedBytes;
    this.#limiter = new RateLimiter(limits.rateLimitPerMinute, () => host.now());
    socket.on('pong', () => {
      this.#alive = true;
    });
    socket.on('message', (data, isBinary) => this.#receive(isBinary ? null : data.toString()));
  }

  /** Whether updates about `service` go to this client. */
  wants = (service: string): boolean =>
    this.#all ? !this.#excluded.has(service) : this.#included.has(service);

  /** True while any service is subscribed. */
  get subscribed(): boolean {
    return this.#all || this.#included.size > 0;
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    let text = serialized.get(message);
    if (text === undefined) {
      text = JSON.stringify(message);
      serialized.set(message, text);
    }
    this.socket.send(text);
  }

  /** True while more than the allowed bytes wait to be sent to this client. */
  get backedUp(): boolean {
    return this.socket.bufferedAmount > this.#maxBufferedBytes;
  }

  /**
   * Sends `update` narrowed to this client's services; nothing when none is
   * left, or while the client is backed up (updates are snapshots, so a
   * later one makes up for a skipped one).
   */
  sendUpdate(update: ServiceUpdateMessage): void {
    if (!this.subscribed || this.backedUp) return;
    const services = update.services.filter((service) => this.wants(service.service));
    if (services.length === 0) return;
    this.send(services.length === update.services.length ? update : { ...update, services });
  }

  sendError(code: number, message: string): void {
    this.send({ type: 'error', code, message, timestamp: this.#timestamp() });
  }

  /** One heartbeat: drops a client that did not answer the previous ping, or is still backed up. */
  heartbeat(): void {
    if (!this.#alive || this.backedUp) {
      this.socket.terminate();
      return;
    }
    this.#alive = false;
    this.socket.ping();
  }

  #receive(text: string | null): void {
    const verdict = this.#limiter.take();
    if (verdict === 'disconnect') {
      this.sendError(closeCodes.rateLimited, 'Rate limit exceeded: closing the connection');
      this.socket.close(closeCodes.rateLimited, 'Rate limit exceeded');
      return;
    }
    if (verdict === 'reject') {
      this.sendError(closeCodes.rateLimited, 'Rate limit exceeded: message ignored');
      return;
    }
    if (text === null) {
      this.sendError(closeCodes.invalidMessage, 'Invalid message: binary frames are not accepted');
      return;
    }
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.sendError(closeCodes.invalidMessage, excerpt(parsed.reason));
      return;
    }
    this.#handle(parsed.message);
  }

  #handle(message: ClientMessage): void {
    switch (message.type) {
      case 'subscribe:services':
        this.#subscribe(this.#known(message.type, message.services));
        this.send(this.#host.snapshot(this.wants));
        return;
      case 'unsubscribe:services':
        this.#unsubscribe(this.#known(message.type, message.services));
        return;
      case 'ping':
        this.send({ type: 'pong', timestamp: this.#timestamp() });
        return;
      case 'health:check':
        this.send(this.#host.healthCheck());
        return;
      case 'circuit:reset':
      case 'circuit:force-open':
      case 'circuit:disable':
      case 'circuit:release':
        if (this.principal.role !== 'admin') {
          this.sendError(closeCodes.forbidden, `Forbidden: ${message.type} needs the admin role`);
          return;
        }
        void this.#host
          .act(message.type, message.service, { id: this.principal.sub, role: this.principal.role })
          .then((reply) => this.send(reply));
        return;
    }
  }

  /** The names in `services` the registry knows; the others are reported in one `error` (4004). */
  #known(
    type: 'subscribe:services' | 'unsubscribe:services',
    services: readonly string[] | undefined,
  ): readonly string[] | undefined {
    if (services === undefined) return undefined;
    const known = services.filter((name) => this.#host.knows(name));
    const unknown = services.length - known.length;
    if (unknown > 0) {
      const first = services.find((name) => !this.#host.knows(name)) ?? '';
      this.sendError(
        closeCodes.invalidMessage,
        `${type}: ${unknown} of ${services.length} names are not services of this monitor and were ignored (the first: ${JSON.stringify(excerpt(first, 64))})`,
      );
    }
    return known;
  }

  #subscribe(services: readonly string[] | undefined): void {
    if (services === undefined) {
      this.#all = true;
      this.#excluded.clear();
    } else if (this.#all) {
      for (const name of services) this.#excluded.delete(name);
    } else {
      for (const name of services) this.#included.add(name);
    }
  }

  #unsubscribe(services: readonly string[] | undefined): void {
    if (services === undefined) {
      this.#all = false;
      this.#included.clear();
      this.#excluded.clear();
    } else if (this.#all) {
      for (const name of services) this.#excluded.add(name);
    } else {
      for (const name of services) this.#included.delete(name);
    }
  }

  #timestamp(): string {
    return new Date(this.#host.now()).toISOString();
  }
}
