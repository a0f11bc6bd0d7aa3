export {
  type BulkheadOptions,
  BulkheadPolicy,
  bulkhead,
  type ResolvedBulkheadOptions,
} from './bulkhead';
export {
  type FallbackHandler,
  type FallbackOptions,
  FallbackPolicy,
  fallback,
} from './fallback';
export type { Policy, PolicyExecuteOptions } from './policy';
export {
  type RateLimitOptions,
  RateLimitPolicy,
  type ResolvedRateLimitOptions,
  rateLimit,
} from './rate-limit';
export { type ResolvedRetryOptions, type RetryOptions, RetryPolicy, retry } from './retry';
export { WrappedPolicy, wrap } from './wrap';
