import { defineError, errorCodes } from '@breakwater/core';

/**
 * `monitor.start()` failed: the monitor is already started (stop it first),
 * or it cannot listen on the host and port it was given (taken, not
 * allowed, no such interface). Node's listen error is the `cause`.
 */
export const MonitorStartError = defineError(
  errorCodes.monitorStartFailed,
  'MonitorStartError',
  (reason: string, options?: { readonly cause?: unknown }) => ({
    message: `The monitor cannot start: ${reason}`,
    cause: options?.cause,
    /** Why, in words: `it is already started`, `port 8080 on 127.0.0.1 is already in use`, … */
    reason,
  }),
);
export type MonitorStartError = InstanceType<typeof MonitorStartError>;

/** True when `value` is a {@link MonitorStartError}, from any copy of the package. */
export const isMonitorStartError = MonitorStartError.is;

/** The error for a failed `listen`, naming the port and host in words for the usual causes. */
export function listenFailure(error: unknown, host: string, port: number): MonitorStartError {
  return new MonitorStartError(listenProblem(error, host, port), { cause: error });
}

function listenProblem(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `port ${port} on ${host} is already in use`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${host}`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `cannot listen on host ${host} (port ${port}): ${code}`;
  const detail = error instanceof Error ? error.message : String(error);
  return `cannot listen on port ${port} on ${host}: ${detail}`;
}
