// User-timing marks around the rendering of a stream update, read by
// bench/dashboard-render.ts (a PerformanceObserver on 'measure') and visible
// in the browser's performance panel. Only the latest entries are kept, so a
// dashboard left open for days does not accumulate them.

const arrived = 'bw:update-arrived';
/** From the update's arrival to React's commit of the cards (layout effects run). */
export const commitMeasure = 'bw:update-commit';
/** From the update's arrival to the frame after that commit being painted. */
export const paintMeasure = 'bw:update-paint';

let pending = false;

/** Marks a `serviceUpdate`'s arrival. */
export function markUpdateArrived(): void {
  performance.clearMarks(arrived);
  performance.mark(arrived);
  pending = true;
}

/**
 * Measures the arrival → commit time, then the arrival → painted time: the
 * callback of the next animation frame runs before that frame's style,
 * layout and paint, and a task queued from it runs after them.
 */
export function measureUpdateRendered(): void {
  if (!pending) return;
  pending = false;
  performance.clearMeasures(commitMeasure);
  performance.measure(commitMeasure, arrived);
  requestAnimationFrame(() => {
    // A message task, not setTimeout: it runs right after the frame, never throttled.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      performance.clearMeasures(paintMeasure);
      performance.measure(paintMeasure, arrived);
    };
    channel.port2.postMessage(null);
  });
}
