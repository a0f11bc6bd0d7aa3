import type { StateName } from '@breakwater/core';

/** Text styles for the terminal; each is the identity when colour is off. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  /** `text` (default: the state's name) in the state's colour: closed green, half-open yellow, open red. */
  readonly state: (state: StateName, text?: string) => string;
}

const plain = (text: string): string => text;

function ansi(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

/** ANSI styles when `color` is true, plain text otherwise. */
export function createStyle(color: boolean): Style {
  const bold = color ? ansi(1, 22) : plain;
  const dim = color ? ansi(2, 22) : plain;
  const red = color ? ansi(31, 39) : plain;
  const green = color ? ansi(32, 39) : plain;
  const yellow = color ? ansi(33, 39) : plain;
  const cyan = color ? ansi(36, 39) : plain;
  const byState: Record<StateName, (text: string) => string> = {
    closed: green,
    open: red,
    'half-open': yellow,
    'forced-open': red,
    disabled: dim,
  };
  return {
    bold,
    dim,
    red,
    green,
    yellow,
    cyan,
    state: (state, text = state) => byState[state](text),
  };
}

/**
 * Whether output to a stream may be coloured: it is a TTY and NO_COLOR
 * (https://no-color.org) is unset or empty.
 */
export function colorSupported(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return isTTY === true && !env.NO_COLOR;
}
