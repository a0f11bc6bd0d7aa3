/** One state-change line of the demo's output, parsed. */
export interface TransitionLine {
  /** Seconds since the start. */
  readonly at: number;
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  /** Seconds until the next trial, on lines that open the circuit. */
  readonly nextTrial: number | undefined;
  /** Index of the line in the output. */
  readonly line: number;
}

const transitionPattern =
  /^\[\s*([\d.]+)s\] (\S+)\s+(\S+) → (\S+)\s+\(([\w-]+)\)(?:\s+next trial in ([\d.]+)s)?/;

export function lines(output: string): string[] {
  return output.split('\n');
}

/** Every state-change line of `output`, optionally of one service only. */
export function transitions(output: string, service?: string): TransitionLine[] {
  const found: TransitionLine[] = [];
  lines(output).forEach((text, line) => {
    const match = transitionPattern.exec(text);
    if (!match) return;
    const [, at = '', name = '', from = '', to = '', reason = '', nextTrial] = match;
    if (service !== undefined && name !== service) return;
    found.push({
      at: Number(at),
      service: name,
      from,
      to,
      reason,
      nextTrial: nextTrial === undefined ? undefined : Number(nextTrial),
      line,
    });
  });
  return found;
}
