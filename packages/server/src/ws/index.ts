export {
  attachCircuitBreakerStream,
  type CircuitBreakerStream,
  type CircuitBreakerStreamOptions,
} from './circuit-breaker-stream';
export type { Principal } from './stream-connection';
