import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import { errorCodes } from './error-codes';

/** A registry was asked about a service it does not hold. */
export class UnknownServiceError extends BreakwaterError {
  readonly service: string;

  constructor(service: string) {
    super(errorCodes.unknownService, `Unknown service '${service}'`);
    this.service = service;
  }
}
nameErrorClass(UnknownServiceError, 'UnknownServiceError');

/** True when `value` is an {@link UnknownServiceError}, from any copy of the package. */
export function isUnknownServiceError(value: unknown): value is UnknownServiceError {
  return hasErrorCode(value, errorCodes.unknownService);
}
