export { type Alert, type AlertDetails, type AlertKind, alertKinds } from './alert';
export { type AlertsSettings, alertDefaults, type WebhookSettings } from './alerts-settings';
export { type Alerter, type AlerterOptions, createAlerter } from './create-alerter';
export { type AlertClock, maxQueuedAlerts, retryDelay } from './webhook-notifier';
