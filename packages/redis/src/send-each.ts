import { isCluster, type RedisClient } from './redis-connection';

/**
 * One command: its name (a Redis command, or a script defined on the client
 * with `defineCommand`) and its arguments, keys first. Every key of one
 * command shares a slot; different commands may not.
 */
export type KeyedCommand = readonly [name: string, ...args: string[]];

/** One reply, as `pipeline.exec()` gives it: the command's error, or its result. */
export type KeyedReply = [error: Error | null, result: unknown];

/**
 * Sends `commands` together and resolves with one reply each, in order. On
 * one server they go as one pipeline. On Cluster a pipeline must stay within
 * one node, and these commands (one per breaker) are spread over the
 * cluster, so each goes on its own, all at once: ioredis writes them to each
 * node's connection back to back, which is a pipeline per node.
 */
export async function sendEach(
  client: RedisClient,
  commands: readonly KeyedCommand[],
): Promise<KeyedReply[]> {
  if (commands.length === 0) return [];
  if (isCluster(client)) {
    const settled = await Promise.allSettled(
      commands.map((command) => invoke(client, command) as Promise<unknown>),
    );
    return settled.map((outcome) =>
      outcome.status === 'fulfilled' ? [null, outcome.value] : [asError(outcome.reason), undefined],
    );
  }
  const pipeline = client.pipeline();
  for (const command of commands) invoke(pipeline, command);
  return ((await pipeline.exec()) ?? []) as KeyedReply[];
}

function invoke(target: object, [name, ...args]: KeyedCommand): unknown {
  const method = (target as Record<string, unknown>)[name];
  if (typeof method !== 'function') throw new TypeError(`no Redis command or script '${name}'`);
  return method.apply(target, args);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
