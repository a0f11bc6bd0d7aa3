/** What every worker process is asked: an id to answer under, and a command. */
export interface WorkerRequestBase {
  readonly id: number;
  readonly cmd: string;
}

/** Sends `message` to the parent process, then runs `then` once it is handed over. */
export function sendToParent(message: unknown, then?: () => void): void {
  process.send?.(message, undefined, undefined, then);
}

/**
 * Answers the parent's requests with `run`: a `reply` carrying the result
 * under the request's id, or `failed` with the error's stack. After the
 * reply to `close` the process exits, once the reply is handed over.
 */
export function answerRequests<R extends WorkerRequestBase>(run: (request: R) => Promise<unknown>) {
  process.on('message', (request: R) => {
    run(request).then(
      (result) =>
        sendToParent({ type: 'reply', id: request.id, result }, () => {
          if (request.cmd === 'close') process.exit(0);
        }),
      (error: unknown) =>
        sendToParent({
          type: 'failed',
          id: request.id,
          error: String((error as Error)?.stack ?? error),
        }),
    );
  });
}
