import { BreakwaterError, hasErrorCode, nameErrorClass } from './breakwater-error';
import type { ErrorCode } from './error-codes';

/**
 * What a message builder returns: the message, an optional `cause`, and the
 * error's own fields (every other property), copied onto each instance.
 */
export interface ErrorDetails {
  readonly message: string;
  readonly cause?: unknown;
}

/** The fields an error class built from `Details` carries: everything but message and cause. */
export type ErrorFields<Details> = Readonly<Omit<Details, 'message' | 'cause'>>;

/** A class built by {@link defineError}: `new` it with the builder's arguments. */
export interface DefinedErrorClass<Args extends unknown[], Fields> {
  new (...args: Args): BreakwaterError & Fields;
  readonly prototype: BreakwaterError & Fields;
  /** The code every instance carries. */
  readonly code: ErrorCode;
  /**
   * True when `value` is an error of this class from any copy of the package:
   * it checks the brand and the code, not `instanceof`.
   */
  is(value: unknown): value is BreakwaterError & Fields;
}

/**
 * Builds one entry of the error catalogue, as fastify's `createError` does:
 * a subclass of `BreakwaterError` with a stable `code`, its `name` on the
 * prototype (instances carry none of their own), and a guard. `describe`
 * turns the constructor's arguments into the message and the fields.
 *
 * ```ts
 * export const UnknownServiceError = defineError(
 *   errorCodes.unknownService,
 *   'UnknownServiceError',
 *   (service: string) => ({ message: `Unknown service '${service}'`, service }),
 * );
 * export type UnknownServiceError = InstanceType<typeof UnknownServiceError>;
 * export const isUnknownServiceError = UnknownServiceError.is;
 * ```
 */
export function defineError<Args extends unknown[], Details extends ErrorDetails>(
  code: ErrorCode,
  name: string,
  describe: (...args: Args) => Details,
): DefinedErrorClass<Args, ErrorFields<Details>> {
  const defined = class extends BreakwaterError {
    static readonly code = code;

    static is(value: unknown): boolean {
      return hasErrorCode(value, code);
    }

    constructor(...args: Args) {
      const details = describe(...args);
      super(
        code,
        details.message,
        details.cause === undefined ? undefined : { cause: details.cause },
      );
      for (const key of Object.keys(details)) {
        if (key !== 'message' && key !== 'cause')
          (this as Record<string, unknown>)[key] = (details as Record<string, unknown>)[key];
      }
    }
  };
  nameErrorClass(defined, name);
  // The class's own name too: stack headers, `console.log` and `ErrorClass.name` show it.
  Object.defineProperty(defined, 'name', { value: name, configurable: true });
  return defined as unknown as DefinedErrorClass<Args, ErrorFields<Details>>;
}
