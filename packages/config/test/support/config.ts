import { fileURLToPath } from 'node:url';
import {
  type BreakwaterConfig,
  type ConfigFileError,
  type ConfigIssue,
  isConfigFileError,
  parseConfig,
} from '@breakwater/config';

/** Where the parsed texts of these tests pretend to live. */
export const configFile = '/srv/app/breakwater.yaml';

/** The repository's `examples/` file of that name. */
export function example(name: string): string {
  return fileURLToPath(new URL(`../../../../examples/${name}`, import.meta.url));
}

/** Parses YAML text as if read from {@link configFile}. */
export function parseYaml(text: string): BreakwaterConfig {
  return parseConfig(text, { format: 'yaml', file: configFile });
}

/** The ConfigFileError `action` throws (fails the test if it throws nothing or something else). */
export function configErrorOf(action: () => unknown): ConfigFileError {
  try {
    action();
  } catch (error) {
    if (isConfigFileError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigFileError, but nothing was thrown');
}

/** Same, for a promise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ConfigFileError> {
  try {
    await promise;
  } catch (error) {
    if (isConfigFileError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigFileError, but the promise resolved');
}

/** The issues of the YAML text, keyed by path. */
export function issuesOf(text: string): Map<string, ConfigIssue> {
  const error = configErrorOf(() => parseYaml(text));
  return new Map(error.issues.map((issue) => [issue.path, issue]));
}

/** A minimal valid file with `extra` appended (another section). */
export function withOneService(extra = ''): string {
  return `services:\n  api:\n    preset: testing\n${extra}`;
}
