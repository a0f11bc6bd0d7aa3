import {
  BulkheadFullError,
  type BulkheadOptions,
  bulkhead,
  isBulkheadFullError,
} from '@breakwater/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Deferred, deferred, flush, outcome } from '../support/calls';
import { expectConfigError } from '../support/config-errors';

/** Operations that stay in flight until the test settles them, recording which ones started. */
function controlled() {
  const started: string[] = [];
  const pending = new Map<string, Deferred<string>>();
  const operation = (id: string) => () => {
    started.push(id);
    const call = deferred();
    pending.set(id, call);
    return call.promise;
  };
  const settle = (id: string, error?: Error): void => {
    const call = pending.get(id);
    if (call === undefined) throw new Error(`call ${id} has not started`);
    if (error) call.reject(error);
    else call.resolve(id);
  };
  return { started, operation, settle };
}

describe('bulkhead', () => {
  it('runs up to maxConcurrent calls at once', async () => {
    const policy = bulkhead({ maxConcurrent: 2, maxQueue: 5 });
    const { started, operation } = controlled();
    void outcome(policy.execute(operation('a')));
    void outcome(policy.execute(operation('b')));
    void outcome(policy.execute(operation('c')));
    await flush();
    expect(started).toEqual(['a', 'b']);
    expect([policy.running, policy.queued]).toEqual([2, 1]);
  });

  it('starts queued calls first in, first out as slots free up', async () => {
    const policy = bulkhead({ maxConcurrent: 1, maxQueue: 3 });
    const { started, operation, settle } = controlled();
    const calls = ['a', 'b', 'c', 'd'].map((id) => policy.execute(operation(id)));
    await flush();
    expect(started).toEqual(['a']);
    settle('a');
    await flush();
    expect(started).toEqual(['a', 'b']);
    settle('b');
    await flush();
    settle('c');
    await flush();
    settle('d');
    expect(await Promise.all(calls)).toEqual(['a', 'b', 'c', 'd']);
    expect([policy.running, policy.queued]).toEqual([0, 0]);
  });

  it('hands a freed slot to the oldest queued call, not to a newcomer', async () => {
    const policy = bulkhead({ maxConcurrent: 1, maxQueue: 2 });
    const { started, operation, settle } = controlled();
    void outcome(policy.execute(operation('first')));
    void outcome(policy.execute(operation('queued')));
    settle('first');
    const newcomer = outcome(policy.execute(operation('newcomer')));
    await flush();
    expect(started).toEqual(['first', 'queued']);
    expect([policy.running, policy.queued]).toEqual([1, 1]);
    settle('queued');
    await flush();
    settle('newcomer');
    expect(await newcomer).toBe('newcomer');
  });

  it('rejects with BulkheadFullError when every slot is busy and the queue is full', async () => {
    const policy = bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const { started, operation } = controlled();
    void outcome(policy.execute(operation('a')));
    void outcome(policy.execute(operation('b')));
    const error = await outcome(policy.execute(operation('c')));
    expect(error).toBeInstanceOf(BulkheadFullError);
    expect(isBulkheadFullError(error) && [error.maxConcurrent, error.maxQueue]).toEqual([1, 1]);
    expect(started).toEqual(['a']);
    expect([policy.running, policy.queued]).toEqual([1, 1]);
  });

  it('has no queue by default: the call after maxConcurrent is rejected', async () => {
    const policy = bulkhead({ maxConcurrent: 1 });
    const { operation } = controlled();
    void outcome(policy.execute(operation('a')));
    expect(await outcome(policy.execute(operation('b')))).toBeInstanceOf(BulkheadFullError);
    expect(policy.options).toEqual({ maxConcurrent: 1, maxQueue: 0 });
  });

  it('frees the slot when a call fails, and rejects with its error', async () => {
    const policy = bulkhead({ maxConcurrent: 1, maxQueue: 1 });
    const { started, operation, settle } = controlled();
    const failing = outcome(policy.execute(operation('a')));
    const next = policy.execute(operation('b'));
    await flush();
    const boom = new Error('boom');
    settle('a', boom);
    expect(await failing).toBe(boom);
    await flush();
    expect(started).toEqual(['a', 'b']);
    settle('b');
    expect(await next).toBe('b');
    expect(policy.running).toBe(0);
  });

  it('frees the slot when a call throws synchronously', async () => {
    const policy = bulkhead({ maxConcurrent: 1 });
    const thrown = new TypeError('sync');
    const error = await outcome(
      policy.execute(() => {
        throw thrown;
      }),
    );
    expect(error).toBe(thrown);
    expect(policy.running).toBe(0);
    expect(await policy.execute(() => 'next')).toBe('next');
  });

  it('a queued call whose signal aborts leaves the queue and rejects with signal.reason', async () => {
    const policy = bulkhead({ maxConcurrent: 1, maxQueue: 2 });
    const { started, operation, settle } = controlled();
    void outcome(policy.execute(operation('a')));
    const controller = new AbortController();
    const aborted = outcome(policy.execute(operation('b'), { signal: controller.signal }));
    const after = policy.execute(operation('c'));
    expect(policy.queued).toBe(2);
    controller.abort('changed my mind');
    expect(await aborted).toBe('changed my mind');
    expect(policy.queued).toBe(1);
    settle('a');
    await flush();
    settle('c');
    expect(await after).toBe('c');
    expect(started).toEqual(['a', 'c']);
  });

  it('does not run or queue a call whose signal is already aborted', async () => {
    const policy = bulkhead({ maxConcurrent: 1 });
    const { started, operation } = controlled();
    const error = await outcome(
      policy.execute(operation('a'), { signal: AbortSignal.abort('too late') }),
    );
    expect(error).toBe('too late');
    expect(started).toEqual([]);
    expect(policy.running).toBe(0);
  });

  it("passes the caller's signal to the operation and keeps its slot until it settles", async () => {
    const policy = bulkhead({ maxConcurrent: 1 });
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const call = deferred();
    const running = policy.execute(
      (signal) => {
        seen = signal;
        return call.promise;
      },
      { signal: controller.signal },
    );
    expect(seen).toBe(controller.signal);
    controller.abort();
    expect(policy.running).toBe(1);
    call.resolve('finished anyway');
    expect(await running).toBe('finished anyway');
    expect(policy.running).toBe(0);
  });

  it('never has more than maxConcurrent calls running, whatever the arrivals and completions', async () => {
    type Step =
      | { kind: 'arrive' }
      | { kind: 'settle'; pick: number; fail: boolean }
      | { kind: 'abort'; pick: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant({ kind: 'arrive' as const }),
      fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), fail: fc.boolean() }),
      fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(step, { maxLength: 60 }),
        async (maxConcurrent, maxQueue, steps) => {
          const policy = bulkhead({ maxConcurrent, maxQueue });
          let active = 0;
          let peak = 0;
          const running: Deferred<string>[] = [];
          const waiting: AbortController[] = [];
          const model = { running: 0, queued: 0, rejected: 0 };
          let rejected = 0;
          for (const { kind, ...args } of steps) {
            if (kind === 'arrive') {
              const controller = new AbortController();
              const call = deferred();
              let started = false;
              policy
                .execute(
                  () => {
                    started = true;
                    peak = Math.max(peak, ++active);
                    const index = waiting.indexOf(controller);
                    if (index >= 0) waiting.splice(index, 1);
                    running.push(call);
                    return call.promise.finally(() => active--);
                  },
                  { signal: controller.signal },
                )
                .catch((error: unknown) => {
                  if (isBulkheadFullError(error)) rejected++;
                });
              if (!started) waiting.push(controller);
              if (model.running < maxConcurrent) model.running++;
              else if (model.queued < maxQueue) model.queued++;
              else {
                model.rejected++;
                waiting.pop();
              }
            } else if (kind === 'settle' && running.length > 0) {
              const { pick, fail } = args as { pick: number; fail: boolean };
              const [call] = running.splice(pick % running.length, 1);
              if (fail) call?.reject(new Error('failed'));
              else call?.resolve('done');
              if (model.queued > 0) model.queued--;
              else model.running--;
            } else if (kind === 'abort' && waiting.length > 0) {
              const { pick } = args as { pick: number };
              const [controller] = waiting.splice(pick % waiting.length, 1);
              controller?.abort();
              model.queued--;
            }
            await flush();
            expect(peak).toBeLessThanOrEqual(maxConcurrent);
            expect(policy.running).toBe(active);
            expect([policy.running, policy.queued, rejected]).toEqual([
              model.running,
              model.queued,
              model.rejected,
            ]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('bulkhead options', () => {
  const badValues: Array<[string, unknown, unknown]> = [
    ['maxConcurrent', undefined, {}],
    ['maxConcurrent', 0, { maxConcurrent: 0 }],
    ['maxConcurrent', 1.5, { maxConcurrent: 1.5 }],
    ['maxConcurrent', Number.POSITIVE_INFINITY, { maxConcurrent: Number.POSITIVE_INFINITY }],
    ['maxQueue', -1, { maxConcurrent: 1, maxQueue: -1 }],
    ['maxQueue', '10', { maxConcurrent: 1, maxQueue: '10' }],
    ['maxQueued', 3, { maxConcurrent: 1, maxQueued: 3 }],
    ['options', null, null],
  ];

  it.each(badValues)(
    'rejects a bad %s (%s), naming the option and the value',
    (option, value, options) =>
      expectConfigError(() => bulkhead(options as BulkheadOptions), option, value),
  );
});
