import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** A registry was used after `close()`: it creates, changes and audits nothing more. */
export const RegistryClosedError = defineError(
  errorCodes.registryClosed,
  'RegistryClosedError',
  () => ({ message: 'The registry is closed' }),
);
export type RegistryClosedError = InstanceType<typeof RegistryClosedError>;

/** True when `value` is a {@link RegistryClosedError}, from any copy of the package. */
export const isRegistryClosedError = RegistryClosedError.is;
