import { isIP } from 'node:net';
import { z } from 'zod';
import { withSuggestion } from '../suggest';

/**
 * Field builders whose every error message is the "expected" half of an
 * issue (`an integer from 0 to 65535`), so a zod issue maps straight to
 * `path: got VALUE, expected MESSAGE`.
 */
function say(expected: string): { error: () => string } {
  return { error: () => expected };
}

/** An integer in `[min, max]`; `unit` prefixes the wording (`a duration in milliseconds, …`). */
export function integer(min: number, max?: number, unit?: string) {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  const expected = unit === undefined ? `an integer ${range}` : `${unit}, an integer ${range}`;
  const schema = z.number(say(expected)).int(say(expected)).min(min, say(expected));
  return max === undefined ? schema : schema.max(max, say(expected));
}

/** Milliseconds as an integer in `[min, max]`. */
export function milliseconds(min: number, max?: number) {
  return integer(min, max, 'a duration in milliseconds');
}

/** A non-empty string. */
export function text(expected: string) {
  return z.string(say(expected)).min(1, say(expected));
}

/** One of a few fixed strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, say(`one of ${values.map((v) => `'${v}'`).join(', ')}`));
}

export function flag() {
  return z.boolean(say('true or false'));
}

/** An absolute URL whose scheme is one of `schemes` (without the colon). */
export function url(schemes: readonly string[], expected: string) {
  return z.string(say(expected)).refine((value) => {
    try {
      const parsed = new URL(value);
      return schemes.includes(parsed.protocol.slice(0, -1)) && parsed.hostname !== '';
    } catch {
      return false;
    }
  }, say(expected));
}

/**
 * An IPv4 or IPv6 address or a CIDR subnet (`10.0.0.0/8`, `::1`,
 * `fd00::/8`): the rule `TrustedProxies` of `@breakwater/server` applies.
 */
export function addressOrSubnet() {
  const expected = 'an IP address or a CIDR subnet, e.g. "10.0.0.0/8", "::1" or "fd00::/8"';
  return z.string(say(expected)).refine(isAddressOrSubnet, say(expected));
}

function isAddressOrSubnet(value: string): boolean {
  const [address = '', bits, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
  );
}

/** A list of distinct values (duplicates dropped). */
export function listOf<T extends z.ZodType>(item: T, expected: string) {
  return z.array(item, say(expected)).transform((items) => [...new Set(items)]);
}

/** Keys that suggest a secret: never echoed, and the message points to the environment. */
const secretKey = /secret|password|passwd|private.?key|api.?key|token|credential/i;

export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** What an unknown key in an object of `known` keys is told. */
export function unknownKeyExpectation(key: string, known: readonly string[]): string {
  if (isSecretKey(key)) {
    return 'no secret in the file: put it in the environment (the JWT secret goes in the variable named by auth.jwtSecretEnv, BREAKWATER_JWT_SECRET by default)';
  }
  return withSuggestion(`one of the keys ${known.join(', ')}`, key, known);
}

/**
 * An object that rejects unknown keys, each reported on its own with the
 * known keys and a "did you mean" hint, so a typo is never silently ignored.
 * zod reports all unknown keys of an object as one issue: its message holds
 * one expectation per key, line by line, in the order of `issue.keys`
 * (split again in `checkWith`).
 */
export function strict<T extends z.ZodRawShape>(shape: T, expected: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => unknownKeyExpectation(key, known)).join('\n')
        : expected,
  });
}
