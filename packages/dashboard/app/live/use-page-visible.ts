import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

const isVisible = () => document.visibilityState !== 'hidden';

/** Whether the page is shown: false while its browser tab is in the background or minimised. */
export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribe, isVisible);
}
