export {
  type BreakwaterMetrics,
  type BreakwaterMetricsOptions,
  createMetrics,
} from './breakwater-metrics';
