import { useEffect, useRef, useState } from 'react';
import { type TopologyEntry, type TopologyResponse, topologyPath } from './graph-model';

export interface Topology {
  readonly loading: boolean;
  readonly entries: readonly TopologyEntry[];
  /** The last fetch's error message (the server's), or undefined. */
  readonly error: string | undefined;
}

/**
 * The services' dependencies from the monitor: fetched on mount and again
 * when the set of service names changes (the live stream carries health,
 * not the graph).
 */
export function useTopology(
  names: readonly string[],
  fetchJson: <T>(path: string) => Promise<T>,
): Topology {
  const [topology, setTopology] = useState<Topology>({
    loading: true,
    entries: [],
    error: undefined,
  });
  const fetchRef = useRef(fetchJson);
  fetchRef.current = fetchJson;
  const nameSet = [...new Set(names)].sort().join('\n');

  // biome-ignore lint/correctness/useExhaustiveDependencies: the name set is what triggers a fetch; the fetch does not read it
  useEffect(() => {
    let stale = false;
    fetchRef.current<TopologyResponse>(topologyPath).then(
      (response) => {
        if (!stale) setTopology({ loading: false, entries: response.breakers, error: undefined });
      },
      (error: unknown) => {
        if (stale) return;
        const message = error instanceof Error ? error.message : String(error);
        setTopology((previous) => ({ ...previous, loading: false, error: message }));
      },
    );
    return () => {
      stale = true;
    };
  }, [nameSet]);

  return topology;
}
