import type { CircuitBreaker } from '../breaker/circuit-breaker';

/**
 * Remembers a breaker's state and recovery counters, and returns the
 * function that puts them back. An operator's action is applied, then made
 * durable; when the store refuses it, the action is undone, so the breaker
 * never shows what was not acknowledged. Totals counted meanwhile stay. The
 * undo is a `stateChange` with reason `restored` (when the state differs),
 * which the registry saves like any transition.
 */
export function stateUndo(breaker: CircuitBreaker): () => void {
  const saved = breaker.toRecord();
  return () => {
    const current = breaker.toRecord();
    breaker.restore({
      ...current,
      state: saved.state,
      stateSince: saved.stateSince,
      openUntil: saved.openUntil,
      recoveryAttempts: saved.recoveryAttempts,
      failedRecoveries: saved.failedRecoveries,
      lastRecoveryAttempt: saved.lastRecoveryAttempt,
    });
  };
}
