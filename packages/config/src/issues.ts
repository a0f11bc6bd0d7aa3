/** A step of a path into the configuration: a key, or an index into a list. */
export type Segment = string | number;

/** Where a problem sits in the file's text (1-based), when the text is known. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One problem of a configuration file. */
export interface ConfigIssue {
  /** Dotted path of the bad key, e.g. `services.market-data.failureThreshold`; `''` for the file as a whole. */
  readonly path: string;
  /** The value found there: `undefined` when missing, `'[redacted]'` when it may be a secret. */
  readonly value: unknown;
  /** What would have been accepted, in words. */
  readonly expected: string;
  /** Line of the key in the file (1-based), when parsed from text. */
  readonly line?: number;
  /** Column of the key in the file (1-based), when parsed from text. */
  readonly column?: number;
  /** True when `value` was withheld because it may be a secret. */
  readonly redacted?: boolean;
}

/** Finds a path's position in the source text, or undefined. */
export type Locate = (segments: readonly Segment[]) => Position | undefined;

/** Shown instead of a value that may be a secret. */
export const redactedValue = '[redacted]';

/**
 * Collects every problem of one file, so the error lists them all instead of
 * stopping at the first. One issue per path: zod may report several checks
 * of the same value, and the first says it best.
 */
export class Issues {
  readonly #byPath = new Map<string, ConfigIssue>();
  readonly #locate: Locate | undefined;

  constructor(locate?: Locate) {
    this.#locate = locate;
  }

  add(
    segments: readonly Segment[],
    value: unknown,
    expected: string,
    options: { secret?: boolean } = {},
  ): void {
    const path = formatPath(segments);
    if (this.#byPath.has(path)) return;
    const position = this.#locate?.(segments);
    const secret = options.secret === true;
    this.#byPath.set(
      path,
      Object.freeze({
        path,
        value: secret ? redactedValue : maskUrlPassword(value),
        expected,
        ...(position === undefined ? {} : { line: position.line, column: position.column }),
        ...(secret ? { redacted: true } : {}),
      }),
    );
  }

  /** True when some problem was found at `segments` or below it. */
  hasUnder(segments: readonly Segment[]): boolean {
    const prefix = formatPath(segments);
    for (const path of this.#byPath.keys()) {
      if (path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))
        return true;
    }
    return false;
  }

  get size(): number {
    return this.#byPath.size;
  }

  /** Every problem, in file order when positions are known (stable otherwise). */
  list(): readonly ConfigIssue[] {
    return [...this.#byPath.values()].sort(
      (a, b) =>
        (a.line ?? Number.POSITIVE_INFINITY) - (b.line ?? Number.POSITIVE_INFINITY) ||
        (a.column ?? 0) - (b.column ?? 0),
    );
  }
}

/** `['services', 'market-data', 'dependsOn', 0]` → `services.market-data.dependsOn[0]`. */
export function formatPath(segments: readonly Segment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path === '' ? segment : `.${segment}`;
  }
  return path;
}

/** `slidingWindow.size` → `['slidingWindow', 'size']`; `dependsOn[2]` → `['dependsOn', 2]`. */
export function parsePath(path: string): Segment[] {
  if (path === '') return [];
  return path.split('.').flatMap((part) => {
    const match = /^([^[]*)((?:\[\d+\])+)$/.exec(part);
    if (match === null) return [part];
    const indexes = [...(match[2] ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    return match[1] === '' ? indexes : [match[1] ?? '', ...indexes];
  });
}

/** One line of a {@link ConfigFileError}'s message. */
export function describeIssue(issue: ConfigIssue): string {
  const at = issue.line === undefined ? '' : `line ${issue.line}, column ${issue.column}`;
  const where = issue.path !== '' ? issue.path : at !== '' ? at : 'the file';
  const suffix = issue.path !== '' && at !== '' ? ` (${at})` : '';
  const got = issue.redacted === true ? redactedValue : showValue(issue.value);
  return `${where}: got ${got}, expected ${issue.expected}${suffix}`;
}

const maxShown = 80;

/** A value as a person reads it in a message: strings quoted, objects as JSON, long ones cut. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'object' && value !== null) {
    try {
      shown = JSON.stringify(value);
    } catch {
      shown = Object.prototype.toString.call(value);
    }
  } else shown = String(value);
  return shown.length > maxShown ? `${shown.slice(0, maxShown - 1)}…` : shown;
}

/** `redis://user:pass@host` → `redis://user:***@host`: a URL's password never reaches a message. */
function maskUrlPassword(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:)[^/@\s]*@/i, '$1***@');
}
