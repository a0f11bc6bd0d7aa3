export { LocalStore } from './local-store';
export { applicationId, schemaVersion } from './schema';
export { isStoreUnreadableError, StoreUnreadableError } from './store-unreadable-error';
