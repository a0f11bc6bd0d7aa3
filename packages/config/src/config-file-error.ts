import { BreakwaterError, errorCodes, isBreakwaterError } from '@breakwater/core';
import { type ConfigIssue, describeIssue } from './issues';

/**
 * A configuration file could not be read, parsed or validated. The message
 * names the file and lists every problem, one per line
 * (`services.market-data.failureThreshold: got -3, expected an integer >= 1`);
 * nothing of the file is returned or started.
 */
export class ConfigFileError extends BreakwaterError {
  /** The file, as it was named to the loader. */
  readonly file: string;
  /** Every problem found, in file order when positions are known. */
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      errorCodes.invalidConfigFile,
      [
        `Invalid configuration file ${file} (${count}):`,
        ...issues.map((i) => `  ${describeIssue(i)}`),
      ].join('\n'),
      options,
    );
    this.file = file;
    this.issues = Object.freeze([...issues]);
  }
}
Object.defineProperty(ConfigFileError.prototype, 'name', {
  value: 'ConfigFileError',
  writable: true,
  configurable: true,
});

/** True when `value` is a {@link ConfigFileError}, from any copy of the package. */
export function isConfigFileError(value: unknown): value is ConfigFileError {
  return isBreakwaterError(value) && value.code === errorCodes.invalidConfigFile;
}
