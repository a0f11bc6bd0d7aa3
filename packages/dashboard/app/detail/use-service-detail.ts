import { useEffect, useRef, useState } from 'react';
import { DetailFeed, type FetchJson, loadingDetail, type ServiceDetailData } from './detail-feed';
import { startPolling } from './poll-loop';

/** Ms between two refreshes: the monitor samples every 5 s. */
export const detailRefreshMs = 5_000;

/**
 * A service's history and transitions, refreshed every 5 s while mounted
 * (one timer, stopped on unmount or when `name` or `readAudit` changes).
 */
export function useServiceDetail(
  name: string,
  fetchJson: FetchJson,
  readAudit: boolean,
): ServiceDetailData {
  const [data, setData] = useState<ServiceDetailData>(loadingDetail);
  // The shell may pass a new function on each render: polling must not restart for that.
  const fetchRef = useRef(fetchJson);
  fetchRef.current = fetchJson;

  useEffect(() => {
    let stopped = false;
    const feed = new DetailFeed(name, <T>(path: string) => fetchRef.current<T>(path), {
      readAudit,
    });
    setData(loadingDetail);
    const stop = startPolling(async () => {
      const next = await feed.refresh();
      if (!stopped) setData(next);
    }, detailRefreshMs);
    return () => {
      stopped = true;
      stop();
    };
  }, [name, readAudit]);

  return data;
}
