import { defineError } from './define-error';
import { errorCodes } from './error-codes';

/** A registry was asked about a service it does not hold. */
export const UnknownServiceError = defineError(
  errorCodes.unknownService,
  'UnknownServiceError',
  (service: string) => ({
    message: `Unknown service '${service}'`,
    /** The name that was asked for. */
    service,
  }),
);
export type UnknownServiceError = InstanceType<typeof UnknownServiceError>;

/** True when `value` is an {@link UnknownServiceError}, from any copy of the package. */
export const isUnknownServiceError = UnknownServiceError.is;
