import { HttpError, httpErrorCodes } from './http-error';

/** A query's `limit`: an integer from 1 to `max`, or undefined when absent or empty; 400 otherwise. */
export function parseLimit(raw: string | undefined, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw invalidQuery('limit', raw, `an integer from 1 to ${max}`);
  return limit;
}

/**
 * A query's `before`: the id of an audit entry (a positive safe integer,
 * digits only), or undefined when absent or empty; 400 otherwise.
 */
export function parseBefore(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const id = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1)
    throw invalidQuery('before', raw, "an audit entry's id, a positive integer");
  return id;
}

/**
 * A query's `since` as epoch ms: given as epoch ms (digits only) or ISO 8601
 * (a date, UTC midnight, or a date and time with `Z` or an offset: a time
 * without one would be read in the server's time zone); undefined when
 * absent or empty; 400 otherwise.
 */
export function parseSince(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) {
    const epochMs = Number(raw);
    if (Number.isSafeInteger(epochMs)) return epochMs;
  } else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw)) {
    const epochMs = Date.parse(raw);
    if (Number.isFinite(epochMs)) return epochMs;
  }
  throw invalidQuery('since', raw, 'an ISO 8601 time with Z or an offset, or epoch milliseconds');
}

function invalidQuery(option: string, raw: string, expected: string): HttpError {
  return new HttpError(
    400,
    httpErrorCodes.invalidRequest,
    `Invalid query '${option}': ${JSON.stringify(raw)} (expected ${expected})`,
    { option, value: raw },
  );
}
