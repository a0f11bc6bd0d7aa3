import { LineCounter, parseDocument } from 'yaml';
import type { ConfigIssue, Locate } from './issues';
import { yamlLocator } from './yaml-locator';

/** The two formats a configuration file may be written in. */
export type ConfigFormat = 'yaml' | 'json';

/** A file's text turned into a plain value, or the syntax problems that stopped it. */
export type ParsedText =
  | { readonly ok: true; readonly value: unknown; readonly locate: Locate }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[]; readonly cause?: unknown };

/**
 * Parses YAML (1.2 core schema: `yes` is a string; a duplicate key is an
 * error) or strict JSON. Syntax errors name their line and column, and the
 * position of every key is kept so validation issues can name theirs too.
 */
export function parseText(text: string, format: ConfigFormat): ParsedText {
  const source = text.replace(/^\uFEFF/, '');
  if (isEmpty(source)) {
    return failed([fileIssue('a mapping with at least a services section (the file is empty)')]);
  }
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const issueAt = (offset: number, expected: string) =>
    syntaxIssue(source, lines, offset, expected);
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /at position (\d+)/.exec(message);
      const reason = message.replace(/ in JSON at position \d+.*$/, '');
      const offset = position === null ? source.length : Number(position[1]);
      return failed([issueAt(offset, `valid JSON (${reason})`)], error);
    }
    // Valid JSON is valid YAML: the YAML parse gives positions, and catches the
    // duplicate keys that JSON.parse silently lets the last one win.
    const duplicates = document.errors.filter((error) => error.code === 'DUPLICATE_KEY');
    if (duplicates.length > 0) {
      return failed(duplicates.map((error) => issueAt(error.pos[0], 'each key once')));
    }
    const locate = document.errors.length === 0 ? yamlLocator(document, lines) : () => undefined;
    return { ok: true, value, locate };
  }
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) =>
      issueAt(error.pos[0], `valid YAML (${reasonOf(error.message)})`),
    );
    return failed(issues, document.errors[0]);
  }
  try {
    return {
      ok: true,
      value: document.toJS({ maxAliasCount: 100 }),
      locate: yamlLocator(document, lines),
    };
  } catch (error) {
    // Too many aliases: a "billion laughs" document.
    return failed([fileIssue(`YAML with fewer aliases (${reasonOf(String(error))})`)], error);
  }
}

/** Nothing but blank lines, comments and document markers. */
function isEmpty(source: string): boolean {
  return source.split(/\r?\n/).every((line) => /^\s*(#.*)?$|^\s*(---|\.\.\.)\s*$/.test(line));
}

function failed(issues: readonly ConfigIssue[], cause?: unknown): ParsedText {
  return { ok: false, issues, ...(cause === undefined ? {} : { cause }) };
}

function fileIssue(expected: string): ConfigIssue {
  return Object.freeze({ path: '', value: undefined, expected });
}

/** An issue at a character offset; its value is the text of that line. */
function syntaxIssue(
  source: string,
  lines: LineCounter,
  offset: number,
  expected: string,
): ConfigIssue {
  const { line, col } = lines.linePos(Math.max(0, Math.min(offset, source.length)));
  const text = source.split(/\r?\n/)[line - 1]?.trim();
  return Object.freeze({ path: '', value: text || undefined, expected, line, column: col });
}

function reasonOf(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}
