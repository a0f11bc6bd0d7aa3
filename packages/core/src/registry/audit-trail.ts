import type { Clock } from '../clock/clock';
import { excerpt } from '../errors/excerpt';
import type { Actor, AuditAction, AuditEntry, AuditQuery } from '../store/state-store';
import type { RegistryPersistence } from './registry-persistence';

/**
 * The registry's audit log: who did what to which service, with the state
 * before and after, and what was refused and why. Entries are written in
 * the same queue as every other store write, so they land in order.
 */
export class AuditTrail {
  readonly #clock: Clock;
  readonly #persistence: RegistryPersistence;

  constructor(clock: Clock, persistence: RegistryPersistence) {
    this.#clock = clock;
    this.#persistence = persistence;
  }

  /** Appends one entry; resolves once it is stored. */
  async record(
    action: AuditAction,
    target: string,
    actor: Actor,
    before: unknown,
    after: unknown,
    outcome = 'ok',
  ): Promise<void> {
    const entry = {
      at: new Date(this.#clock.now()).toISOString(),
      actor: { id: actor.id, role: actor.role },
      action,
      target,
      before,
      after,
      outcome,
    };
    await this.#persistence.write((store) => store.appendAudit(entry));
  }

  /**
   * An action that was refused is audited too: who tried what, and why it was
   * refused. What was asked for is anybody's input, so only a bounded excerpt
   * of it is kept (see {@link requestedForAudit}).
   */
  refusal(
    action: AuditAction,
    target: string,
    actor: Actor,
    before: unknown,
    requested: unknown,
    error: unknown,
  ): Promise<void> {
    const reason = excerpt(error instanceof Error ? error.message : String(error), maxReasonLength);
    return this.record(
      action,
      excerpt(target),
      actor,
      before,
      requestedForAudit(requested),
      `refused: ${reason}`,
    );
  }

  /** Entries, newest first. */
  query(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.#persistence.write((store) => store.queryAudit(query));
  }
}

/** The longest refusal reason an audit entry keeps, characters. */
const maxReasonLength = 500;

/** The longest request a refusal keeps as JSON; a longer one is kept as an excerpt of its JSON text. */
const maxRequestedLength = 1_000;

/**
 * What an operator asked for, as plain JSON for the audit log (functions and
 * the like are dropped); when its JSON is longer than {@link maxRequestedLength}
 * (or cannot be written: a cycle, nesting too deep), a string excerpt instead.
 */
function requestedForAudit(value: unknown): unknown {
  let text: string;
  try {
    text = JSON.stringify(value ?? null) ?? 'null';
  } catch {
    return Object.prototype.toString.call(value);
  }
  return text.length > maxRequestedLength
    ? excerpt(text, maxRequestedLength)
    : (JSON.parse(text) as unknown);
}
