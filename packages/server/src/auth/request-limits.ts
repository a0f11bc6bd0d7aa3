import { ConfigError } from '@breakwater/core';
import { ClientBudget } from './client-budget';
import type { RefusedLimit } from './refusal-audit';

export interface RequestLimitsOptions {
  /** Failed authentications a client address may make per minute; then 429 until the minute ends. Default 20. */
  readonly authFailuresPerMinute?: number | undefined;
  /** Admin actions (any admin request but a read) per token subject and address per minute. Default 60. */
  readonly adminActionsPerMinute?: number | undefined;
  /** Clients remembered by each limit; the one seen longest ago is forgotten first. Default 10 000. */
  readonly maxClients?: number | undefined;
  /** Wall time, ms, the minutes are counted by. Default `Date.now`. */
  readonly clock?: { now(): number } | undefined;
  /** Where refusals are reported, a few lines per client and minute. Default `console.warn`. */
  readonly report?: ((line: string) => void) | undefined;
  /** Told of every refused request (the monitor audits them in bounded form: `RefusalAudit`). */
  readonly onRefusal?: ((client: string, limit: RefusedLimit) => void) | undefined;
}

/** Why a request was refused, and when the client may try again. */
export interface Refusal {
  /** Whole seconds until the client's minute ends: the `Retry-After` header. */
  readonly retryAfter: number;
  readonly message: string;
}

/**
 * The address of a request whose peer is not known (the API served by an
 * application's own server): failed authentications from it are not
 * limited, since one shared budget would let any client lock out all.
 */
export const unknownAddress = 'unknown';

/** Longest token subject shown in a report line. */
const maxShownSubject = 64;

/**
 * The monitor's per-client request limits, shared by the HTTP API and the
 * WebSocket upgrade: failed authentications per client address (a token
 * guesser is turned away before its token is even checked), and admin
 * actions per token subject and address. Each refusal answers 429 with
 * `Retry-After`; refusals are reported, never with the token, at the 1st,
 * 10th, 100th… refusal of a client in its minute, so a flood writes a few
 * lines, not one per request.
 */
export class RequestLimits {
  readonly #authFailures: ClientBudget;
  readonly #adminActions: ClientBudget;
  readonly #report: (line: string) => void;
  readonly #onRefusal: ((client: string, limit: RefusedLimit) => void) | undefined;

  constructor(options: RequestLimitsOptions = {}) {
    const clock = options.clock ?? { now: () => Date.now() };
    const now = () => clock.now();
    const maxClients = options.maxClients ?? 10_000;
    this.#authFailures = new ClientBudget({
      limit: perMinute(options.authFailuresPerMinute, 'authFailuresPerMinute', 20),
      maxClients,
      now,
    });
    this.#adminActions = new ClientBudget({
      limit: perMinute(options.adminActionsPerMinute, 'adminActionsPerMinute', 60),
      maxClients,
      now,
    });
    this.#report = options.report ?? ((line) => console.warn(line));
    this.#onRefusal = options.onRefusal;
  }

  /** A refusal when `address` has used up its failed authentications this minute; checked before the token. */
  checkAuthentication(address: string): Refusal | undefined {
    if (address === unknownAddress) return undefined;
    const budget = this.#authFailures;
    const wait = budget.waitFor(address);
    if (wait === 0) return undefined;
    const what = `${budget.limit} failed authentications a minute (server.authFailuresPerMinute)`;
    this.#reportRefusal(budget.refuse(address), `from ${address}`, what);
    this.#onRefusal?.(address, 'auth-failures');
    return refusal(wait, `Too many failed authentications from this address: ${what}`);
  }

  /** Counts a token that was presented and refused. */
  authenticationFailed(address: string): void {
    if (address !== unknownAddress) this.#authFailures.spend(address);
  }

  /** Counts an admin action of `sub` from `address`; a refusal when that is one too many this minute. */
  takeAdminAction(sub: string, address: string): Refusal | undefined {
    const budget = this.#adminActions;
    const client = `${sub}\n${address}`;
    const wait = budget.waitFor(client);
    if (wait === 0) {
      budget.spend(client);
      return undefined;
    }
    const what = `${budget.limit} admin actions a minute (server.adminActionsPerMinute)`;
    const who = `by ${JSON.stringify(sub.slice(0, maxShownSubject))} from ${address}`;
    this.#reportRefusal(budget.refuse(client), who, what);
    this.#onRefusal?.(`${sub.slice(0, maxShownSubject)} from ${address}`, 'admin-actions');
    return refusal(wait, `Too many admin actions by this token from this address: ${what}`);
  }

  #reportRefusal(count: number, who: string, what: string): void {
    if (!isPowerOfTen(count)) return;
    const requests = count === 1 ? 'a request' : `${count} requests`;
    this.#report(`refused ${requests} ${who} this minute: over ${what}`);
  }
}

function refusal(waitMs: number, reason: string): Refusal {
  const retryAfter = Math.ceil(waitMs / 1000);
  return { retryAfter, message: `${reason}; try again in ${retryAfter} s` };
}

function perMinute(value: number | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 1))
    throw new ConfigError(option, value, 'a number of requests per minute, an integer >= 1');
  return value;
}

function isPowerOfTen(count: number): boolean {
  let n = count;
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
}
