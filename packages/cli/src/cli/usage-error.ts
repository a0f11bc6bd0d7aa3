import { type ParseArgsConfig, parseArgs } from 'node:util';
import { defineError, errorCodes } from '@breakwater/core';

/** A mistake on the command line: the CLI prints its message and the usage, and exits with code 2. */
export const UsageError = defineError(errorCodes.invalidUsage, 'UsageError', (message: string) => ({
  message,
}));
export type UsageError = InstanceType<typeof UsageError>;

/** True when `value` is a {@link UsageError}, from any copy of the package. */
export const isUsageError = UsageError.is;

/** Parse errors of `util.parseArgs` carry one of these codes. */
const parseArgsCodes = new Set([
  'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
  'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
]);

/**
 * Turns an error of `util.parseArgs` into a {@link UsageError} naming the
 * command ("unknown option '--fast' for 'demo'"); other errors pass through.
 */
export function asUsageError(error: unknown, command: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string' || !parseArgsCodes.has(code)) {
    return error;
  }
  // Node's first line names the culprit; the rest is advice about `--` that does not apply here.
  const [first = error.message] = error.message.split('\n');
  const sentence = first.replace(/\.$/, '').split('. ')[0] ?? first;
  return new UsageError(`${sentence.charAt(0).toLowerCase()}${sentence.slice(1)} for '${command}'`);
}

/** `util.parseArgs` in strict mode, its errors turned into {@link UsageError}s naming `command`. */
export function parseCommandArgs<const T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  command: string,
  args: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>> {
  try {
    return parseArgs({ ...config, args: [...args], strict: true });
  } catch (error) {
    throw asUsageError(error, command);
  }
}
