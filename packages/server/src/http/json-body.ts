import type { Context } from 'hono';
import { HttpError, httpErrorCodes } from './http-error';

/** The deepest nesting of arrays and objects a JSON body may have. Options nest two levels. */
export const maxJsonDepth = 64;

/**
 * The request body parsed as JSON; 400 `INVALID_JSON` when it is not JSON or
 * nests deeper than {@link maxJsonDepth}. The depth is checked on the text
 * first, so a hostile body never reaches `JSON.parse` or the code that walks
 * the parsed value (either can overflow the stack on deep nesting). The
 * body's size is bounded before this by the app's body limit.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (nestsDeeperThan(text, maxJsonDepth))
    throw new HttpError(
      400,
      httpErrorCodes.invalidJson,
      `The request body nests arrays or objects deeper than ${maxJsonDepth} levels`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, httpErrorCodes.invalidJson, 'The request body is not valid JSON');
  }
}

/** Whether `[` and `{` outside strings open more than `max` levels at any point of `text`. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === backslash)
        index++; // the escaped character cannot end the string
      else if (char === quote) inString = false;
    } else if (char === quote) {
      inString = true;
    } else if (char === openBracket || char === openBrace) {
      if (++depth > max) return true;
    } else if (char === closeBracket || char === closeBrace) {
      depth--;
    }
  }
  return false;
}

const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;
