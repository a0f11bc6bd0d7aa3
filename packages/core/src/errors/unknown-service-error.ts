import { defineError } from './define-error';
import { errorCodes } from './error-codes';
import { excerpt } from './excerpt';

/** A registry was asked about a service it does not hold. The message shows at most 200 characters of the name. */
export const UnknownServiceError = defineError(
  errorCodes.unknownService,
  'UnknownServiceError',
  (service: string) => ({
    message: `Unknown service '${excerpt(service)}'`,
    /** The name that was asked for. */
    service,
  }),
);
export type UnknownServiceError = InstanceType<typeof UnknownServiceError>;

/** True when `value` is an {@link UnknownServiceError}, from any copy of the package. */
export const isUnknownServiceError = UnknownServiceError.is;
