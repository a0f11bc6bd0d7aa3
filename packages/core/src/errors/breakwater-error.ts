import type { ErrorCode } from './error-codes';

/**
 * A registry-wide symbol, so the guards recognise errors thrown by another
 * copy of this package (two versions in one `node_modules`, or a bundle).
 */
const brand: unique symbol = Symbol.for('breakwater.error') as never;

/** Base class of every error Breakwater throws: a stable `code` and an optional `cause`. */
export class BreakwaterError extends Error {
  readonly code: ErrorCode;
  declare readonly [brand]: true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
Object.defineProperty(BreakwaterError.prototype, brand, { value: true });
Object.defineProperty(BreakwaterError.prototype, 'name', {
  value: 'BreakwaterError',
  writable: true,
  configurable: true,
});

/** True for any Breakwater error, whichever copy of the package threw it. */
export function isBreakwaterError(value: unknown): value is BreakwaterError {
  return (
    typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true
  );
}

/** True when `value` is a Breakwater error carrying `code`. */
export function hasErrorCode(value: unknown, code: ErrorCode): boolean {
  return isBreakwaterError(value) && value.code === code;
}

/** Gives an error class its own `name` on the prototype, so instances do not carry one each. */
export function nameErrorClass(errorClass: { prototype: Error }, name: string): void {
  Object.defineProperty(errorClass.prototype, 'name', {
    value: name,
    writable: true,
    configurable: true,
  });
}
