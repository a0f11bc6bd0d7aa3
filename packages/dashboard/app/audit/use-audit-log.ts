import { useEffect, useReducer, useRef } from 'react';
import type { MonitorHttp } from '../api/monitor-http';
import { type AuditEntry, auditPath } from './audit-entry';
import {
  type AuditLog,
  auditEntriesOf,
  auditPageSize,
  loadingAuditLog,
  nextAuditLog,
} from './audit-log-state';

export interface AuditLogView {
  readonly log: AuditLog;
  /** Reads the newest page again. */
  readonly refresh: () => void;
  /** Appends the page below the last entry shown, for the same filter. */
  readonly showOlder: () => void;
}

/**
 * The audit log of `service` (`''` for every service), read a page at a
 * time: the newest page when the view opens, when the filter or `version`
 * changes and on `refresh`; older pages on `showOlder`. An answer that
 * arrives after a newer request started is dropped.
 */
export function useAuditLog(http: MonitorHttp, service: string, version: number): AuditLogView {
  const [log, dispatch] = useReducer(nextAuditLog, loadingAuditLog);
  const [refreshes, refresh] = useReducer((count: number) => count + 1, 0);
  // Bumped by each newest-page request: an older page asked for before it belongs to another listing.
  const listing = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version and refreshes are the triggers
  useEffect(() => {
    const current = ++listing.current;
    dispatch({ type: 'newest-requested' });
    fetchPage(http, auditPath(service, auditPageSize)).then(
      (page) => {
        if (listing.current === current) dispatch({ type: 'newest-loaded', page });
      },
      (error: unknown) => {
        if (listing.current === current) dispatch({ type: 'failed', page: 'newest', error });
      },
    );
    return () => {
      listing.current++;
    };
  }, [http, service, version, refreshes]);

  const showOlder = () => {
    const last = auditEntriesOf(log)?.at(-1);
    if (last === undefined || log.status === 'loading-older') return;
    const current = listing.current;
    dispatch({ type: 'older-requested' });
    fetchPage(http, auditPath(service, auditPageSize, last.id)).then(
      (page) => {
        if (listing.current === current) dispatch({ type: 'older-loaded', page });
      },
      (error: unknown) => {
        if (listing.current === current) dispatch({ type: 'failed', page: 'older', error });
      },
    );
  };

  return { log, refresh, showOlder };
}

async function fetchPage(http: MonitorHttp, path: string): Promise<readonly AuditEntry[]> {
  const { entries } = await http.fetchJson<{ entries: AuditEntry[] }>(path);
  return entries;
}
