import { UsageError } from './usage-error';

/** Parses a TCP port option (0 = any free port); throws a {@link UsageError} naming the option. */
export function parsePort(text: string, option = '--port'): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new UsageError(`${option} must be a TCP port from 0 to 65535, got '${text}'`);
  }
  return port;
}
