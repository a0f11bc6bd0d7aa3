export * from './alerts';
export * from './auth';
export * from './history';
export * from './http';
export * from './metrics';
export { createMonitor, type Monitor, type MonitorOptions, type RunningMonitor } from './monitor';
export { isMonitorStartError, MonitorStartError } from './monitor-start-error';
export {
  attachCircuitBreakerStream,
  type CircuitBreakerStream,
  type CircuitBreakerStreamOptions,
} from './ws';
