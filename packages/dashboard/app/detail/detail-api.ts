import type { AuditEntry, TransitionReason } from '@breakwater/core';
import type { CircuitPhase, ServiceStatusName } from '@breakwater/protocol';

export type { AuditEntry, TransitionReason };

/** One point of `GET /api/circuit-breakers/:name/history` (see docs/http-api.md). */
export interface HistoryPoint {
  /** When the sample was taken, epoch ms. */
  readonly at: number;
  /** Calls that ran per second since the previous point; null without one. */
  readonly callsPerSecond: number | null;
  /** Calls rejected without running per second since the previous point; null without one. */
  readonly rejectedPerSecond: number | null;
  /** Failures over settled calls in the interval, 0..1; null when none settled. */
  readonly failureRate: number | null;
  /** 95th percentile of the interval's timed calls, ms; null when none was timed. */
  readonly p95: number | null;
  readonly state: CircuitPhase;
  readonly health: ServiceStatusName;
}

/** The body of `GET /api/circuit-breakers/:name/history`. */
export interface HistoryResponse {
  readonly service: string;
  /** Ms between two points. */
  readonly interval: number;
  /** Oldest first. */
  readonly points: readonly HistoryPoint[];
}

/** One entry of `GET /api/circuit-breakers/:name/transitions`. */
export interface TransitionEntry {
  /** Epoch ms. */
  readonly at: number;
  readonly from: CircuitPhase;
  readonly to: CircuitPhase;
  readonly reason: TransitionReason;
}

/** The body of `GET /api/circuit-breakers/:name/transitions` (newest first). */
export interface TransitionsResponse {
  readonly service: string;
  readonly transitions: readonly TransitionEntry[];
}

/** The body of `GET /api/audit`. */
export interface AuditResponse {
  readonly entries: readonly AuditEntry[];
}

const base = (name: string) => `/api/circuit-breakers/${encodeURIComponent(name)}`;

/** The history route, for the points after `since` (epoch ms) when given. */
export function historyPath(name: string, since?: number): string {
  return since === undefined ? `${base(name)}/history` : `${base(name)}/history?since=${since}`;
}

export function transitionsPath(name: string): string {
  return `${base(name)}/transitions`;
}

/** The audit entries that may name who made the service's manual transitions. */
export function auditPath(name: string): string {
  return `/api/audit?service=${encodeURIComponent(name)}&limit=100`;
}
