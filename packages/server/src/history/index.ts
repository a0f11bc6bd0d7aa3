export type { HistoryPoint } from './series-ring';
export { historyDefaults, ServiceHistory, type ServiceHistoryOptions } from './service-history';
export type { TransitionEntry } from './transition-log';
