import type { BreakerStatus } from '@breakwater/core';
import type { Style } from '../terminal/style';
import { count, nameWidth, realDuration, seconds } from './format';

/** True when the store gave `status` something: calls, or a state other than closed. */
export function wasRestored(status: BreakerStatus): boolean {
  return status.totalAttempts > 0 || status.rejected > 0 || status.state !== 'closed';
}

/**
 * The block headed `source` ("Restored from <file> ..."): each service's state, totals and
 * recovery attempts as the store gave them back, and for a circuit still
 * open, how long its open period has left.
 */
export function restoredBlock(
  source: string,
  statuses: readonly BreakerStatus[],
  style: Style,
  timeScale: number,
): string {
  const { bold, dim, state } = style;
  const head = dim(
    `  ${'service'.padEnd(nameWidth)}${'state'.padEnd(11)}${'ok'.padStart(7)}${'failed'.padStart(8)}${'rejected'.padStart(10)}${'recoveries'.padStart(12)}`,
  );
  const rows = statuses.map((status) => {
    const note = whatNext(status, timeScale);
    return `  ${status.name.padEnd(nameWidth)}${state(status.state, status.state.padEnd(11))}${count(status.totalSuccesses).padStart(7)}${count(status.totalFailures).padStart(8)}${count(status.rejected).padStart(10)}${String(status.recoveryAttempts).padStart(12)}${note === '' ? '' : `  ${dim(note)}`}`;
  });
  return `${[bold(`${source}:`), head, ...rows, ''].join('\n')}\n`;
}

function whatNext(status: BreakerStatus, timeScale: number): string {
  const trials = status.failedRecoveries;
  const failed = trials > 0 ? `${trials} failed trial${trials === 1 ? '' : 's'}; ` : '';
  if (status.state === 'half-open') return `${failed}next call is a trial`;
  if (status.state !== 'open' || status.recoveryIn === null) return '';
  if (status.recoveryIn === 0) return `${failed}period over: next call is a trial`;
  const left = status.recoveryIn;
  return `${failed}open for ${seconds(left)} more (${realDuration(left, timeScale)} real)`;
}
