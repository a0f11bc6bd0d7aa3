export type Frame = { readonly ok: true; readonly data: unknown } | InvalidFrame;
export type InvalidFrame = { readonly ok: false; readonly reason: string };

/** Parses one text frame as JSON; invalid JSON gives the reason both directions report. */
export function readFrame(text: string): Frame {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'Invalid JSON' };
  }
}
