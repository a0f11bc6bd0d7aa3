/** True for the error `createMonitor` throws when authentication cannot be set up (missing or short secret, unreadable key). */
export function isAuthSetupError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'AuthSetupError';
}

/** A message for an error of `monitor.start()`, naming the port when it is taken or not allowed; undefined for others. */
export function listenProblem(error: unknown, host: string, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `port ${port} on ${host} is already in use`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${host}`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `cannot listen on host ${host} (port ${port}): ${code}`;
  }
  return undefined;
}
