import { defineError, errorCodes } from '@breakwater/core';
import { type ConfigIssue, describeIssue } from './issues';

/**
 * A configuration file could not be read, parsed or validated. The message
 * names the file and lists every problem, one per line
 * (`services.market-data.failureThreshold: got -3, expected an integer >= 1`);
 * nothing of the file is returned or started.
 */
export const ConfigFileError = defineError(
  errorCodes.invalidConfigFile,
  'ConfigFileError',
  (file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) => ({
    message: describeFile(file, issues),
    cause: options?.cause,
    /** The file, as it was named to the loader. */
    file,
    /** Every problem found, in file order when positions are known. */
    issues: Object.freeze([...issues]) as readonly ConfigIssue[],
  }),
);
export type ConfigFileError = InstanceType<typeof ConfigFileError>;

/** True when `value` is a {@link ConfigFileError}, from any copy of the package. */
export const isConfigFileError = ConfigFileError.is;

function describeFile(file: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => `  ${describeIssue(issue)}`);
  return [`Invalid configuration file ${file} (${count}):`, ...lines].join('\n');
}
