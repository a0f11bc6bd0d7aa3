import { useSyncExternalStore } from 'react';
import { SharedTicker } from './shared-ticker';

const ticker = new SharedTicker();

/**
 * The current time, epoch ms, updated every second from the page's one
 * shared timer. Only the small components that show a live time call it, so
 * a tick re-renders those and not the cards around them.
 */
export function useNow(): number {
  return useSyncExternalStore(ticker.subscribe, ticker.now);
}
