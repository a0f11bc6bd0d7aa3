/** Distinct option sets remembered; past this the oldest is forgotten. */
const maxEntries = 256;

/**
 * Resolved options shared by every breaker given the same plain options.
 *
 * A fleet is mostly built from a few presets, and a resolved, frozen options
 * object is about a quarter of an idle breaker's memory: sharing it keeps a
 * thousand breakers of one preset at one copy. Only plain data is shared —
 * options holding a function, a clock or any other object are resolved for
 * their breaker alone, since two such objects are never known to be alike.
 */
export class OptionsCache<Resolved> {
  readonly #entries = new Map<string, Resolved>();

  /** The options resolved for `given`: shared when `given` is plain data, else `resolve(given)`. */
  resolve<Given extends object>(given: Given, resolve: (given: Given) => Resolved): Resolved {
    const key = plainDataKey(given);
    if (key === undefined) return resolve(given);
    let resolved = this.#entries.get(key);
    if (resolved === undefined) {
      resolved = resolve(given); // throws for bad options, which are never remembered
      if (this.#entries.size >= maxEntries) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
      this.#entries.set(key, resolved);
    }
    return resolved;
  }
}

/**
 * A key that is equal for equal plain data (finite numbers, strings,
 * booleans, null, plain objects and arrays of them), or undefined when
 * `value` holds anything else. Non-finite numbers are left out: JSON would
 * turn them into `null` and make two different values alike.
 */
export function plainDataKey(value: unknown): string | undefined {
  let plain = true;
  let key: string | undefined;
  try {
    key = JSON.stringify(value, (_name, item: unknown) => {
      if (!plain) return undefined;
      switch (typeof item) {
        case 'string':
        case 'boolean':
        case 'undefined':
          return item;
        case 'number':
          if (!Number.isFinite(item)) plain = false;
          return item;
        case 'object':
          if (item === null || Array.isArray(item)) return item;
          if (Object.getPrototypeOf(item) !== Object.prototype) plain = false;
          return item;
        default:
          plain = false;
          return undefined;
      }
    });
  } catch {
    return undefined; // nested too deep for JSON.stringify, or a cycle: not plain options
  }
  return plain ? key : undefined;
}
