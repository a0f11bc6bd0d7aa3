import { canStartRedisServer, startPrivateRedis } from '../../tests/support/redis-server';
import type { Plan } from '../measure';
import { type ClosedCallCost, closedCallCost } from './closed-call-cost';
import { type CommandCounts, commandCounts } from './command-count';
import { openPropagation, type Propagation } from './propagation';

/** The shared-mode figures, or why they were not measured. */
export type SharedMode =
  | {
      readonly kind: 'measured';
      readonly closedCalls: ClosedCallCost;
      readonly commands: CommandCounts;
      readonly propagation: Propagation;
    }
  | { readonly kind: 'skipped'; readonly reason: string };

export interface SharedModePlan {
  /** The closed-call loop's rounds and sample size. */
  readonly closedCalls: Plan;
  /** Propagation rounds per way of tripping, after `propagationWarmup` untimed ones. */
  readonly propagationRounds: number;
  readonly propagationWarmup: number;
}

/** Measures shared mode on a private redis-server (never the shared one on 6379). */
export async function measureSharedMode(plan: SharedModePlan): Promise<SharedMode> {
  if (!(await canStartRedisServer())) {
    return { kind: 'skipped', reason: 'no redis-server binary to start a private Redis with' };
  }
  const redis = await startPrivateRedis();
  try {
    return {
      kind: 'measured',
      closedCalls: await closedCallCost(redis.url, plan.closedCalls),
      commands: await commandCounts(redis.url),
      propagation: await openPropagation(redis.url, plan.propagationRounds, plan.propagationWarmup),
    };
  } finally {
    await redis.stop();
  }
}
