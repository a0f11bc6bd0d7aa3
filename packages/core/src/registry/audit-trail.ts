import type { Clock } from '../clock/clock';
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

  /** An action that was refused is audited too: who tried what, and why it was refused. */
  refusal(
    action: AuditAction,
    target: string,
    actor: Actor,
    before: unknown,
    requested: unknown,
    error: unknown,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    return this.record(action, target, actor, before, jsonSafe(requested), `refused: ${reason}`);
  }

  /** Entries, newest first. */
  query(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.#persistence.write((store) => store.queryAudit(query));
  }
}

/** What an operator asked for, as plain JSON for the audit log (functions and the like are dropped). */
function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch {
    return String(value);
  }
}
