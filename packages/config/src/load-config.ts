import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { BreakwaterConfig } from './breakwater-config';
import { ConfigFileError } from './config-file-error';
import { type ConfigFormat, parseText } from './source-text';
import { checkConfig } from './validate-config';

const formats: Readonly<Record<string, ConfigFormat>> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
};

/**
 * Reads, parses and validates a configuration file (`.yaml`, `.yml` or
 * `.json`, by extension). Relative paths inside it are resolved against its
 * folder. Throws a {@link ConfigFileError} listing every problem — an
 * unreadable file, a syntax error (with line and column) or every invalid
 * key — and returns nothing partial.
 */
export async function loadConfig(file: string): Promise<BreakwaterConfig> {
  const extension = extname(file).toLowerCase();
  const format = formats[extension];
  if (format === undefined) {
    throw new ConfigFileError(file, [
      {
        path: '',
        value: extension === '' ? file : extension,
        expected: 'a file ending in .yaml, .yml or .json',
      },
    ]);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no file exists at this path'
        : String((error as Error).message ?? error);
    throw new ConfigFileError(
      file,
      [{ path: '', value: undefined, expected: `a readable file (${reason})` }],
      { cause: error },
    );
  }
  return parseConfig(text, { format, file });
}

/** Parses and validates configuration text; `file` names it in errors and anchors relative paths. */
export function parseConfig(
  text: string,
  options: { readonly format: ConfigFormat; readonly file: string },
): BreakwaterConfig {
  const parsed = parseText(text, options.format);
  if (!parsed.ok) throw new ConfigFileError(options.file, parsed.issues, { cause: parsed.cause });
  return checkConfig(parsed.value, options.file, parsed.locate);
}
