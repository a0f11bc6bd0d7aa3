import type { z } from 'zod';
import type { Issues, Segment } from '../issues';
import { isSecretKey } from './fields';

/**
 * Parses `input` (found at `at` in the file) with a zod schema built from
 * `fields.ts`, adding one issue per problem. Returns the parsed value, or
 * undefined when anything was wrong.
 */
export function checkWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  at: readonly Segment[],
  issues: Issues,
): z.output<S> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const inner = issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step));
    if (issue.code === 'unrecognized_keys') {
      const expectations = issue.message.split('\n');
      issue.keys.forEach((key, index) => {
        issues.add(
          [...at, ...inner, key],
          valueAt(input, [...inner, key]),
          expectations[index] ?? 'a known key',
          {
            secret: isSecretKey(key),
          },
        );
      });
    } else if (issue.code === 'invalid_key') {
      // A bad key of a record: the key itself is what is wrong.
      issues.add([...at, ...inner], inner.at(-1), issue.message);
    } else {
      issues.add([...at, ...inner], valueAt(input, inner), issue.message);
    }
  }
  return undefined;
}

/** The raw value at `path` inside `input`, or undefined. */
export function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let value = input;
  for (const step of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step))
      return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}
