/**
 * Whether this instance's breakers are in step with the fleet: `shared`, or
 * `degraded` while the shared store cannot be reached (each breaker then runs
 * on local evidence alone, and catches up when the store returns).
 */
export interface SharingStatus {
  readonly mode: 'shared' | 'degraded';
  /** This instance's id in the fleet. */
  readonly instance: string;
  /** Wall time (epoch ms) the mode was entered. */
  readonly since: number;
  /** Why the mode is degraded; null when shared. */
  readonly reason: string | null;
}
