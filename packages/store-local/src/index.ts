export { LocalStore, type LocalStoreOptions } from './local-store';
export { applicationId, schemaVersion } from './schema';
export { isStoreUnreadableError, StoreUnreadableError } from './store-unreadable-error';
