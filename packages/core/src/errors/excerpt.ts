/** How many characters of a value an error message or an audit entry shows by default. */
export const excerptLength = 200;

/**
 * `text` cut to at most `max` characters, ending with "…" when it was cut:
 * what a message or an audit entry carries of a value somebody else chose,
 * so that a huge input never comes back out (or into a store) in full.
 */
export function excerpt(text: string, max = excerptLength): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  // Never keep half of a surrogate pair (an emoji cut in two is not text).
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * `value` in words for a message, at most `max` characters: a string quoted,
 * an object as JSON (its tag when it cannot be serialized: a cycle, or nesting
 * too deep for `JSON.stringify`), anything else as `String(value)`.
 */
export function showValue(value: unknown, max = excerptLength): string {
  if (typeof value === 'string') return excerpt(JSON.stringify(value), max);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) {
    try {
      return excerpt(JSON.stringify(value) ?? Object.prototype.toString.call(value), max);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return excerpt(String(value), max);
}
