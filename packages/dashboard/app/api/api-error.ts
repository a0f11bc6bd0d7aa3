/**
 * A refused or failed request to the monitor's HTTP API, with the server's
 * own message (`{ error: { code, message } }`), its HTTP status and code, and
 * the option it names when it names one (a bad configuration value).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string | undefined;
  readonly option: string | undefined;

  constructor(message: string, status: number, code?: string, option?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.option = option;
  }
}

/**
 * The error a response that is not ok stands for: the server's message and
 * code when the body is the API's JSON error, else the status and the start
 * of the body (a proxy's HTML page, an empty body), so something readable is
 * always shown.
 */
export function apiErrorFrom(status: number, statusText: string, body: string): ApiError {
  const error = readErrorBody(body);
  if (error !== undefined) return new ApiError(error.message, status, error.code, error.option);
  const text = body.trim().replace(/\s+/g, ' ');
  const excerpt = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  const what = `HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`;
  return new ApiError(excerpt === '' ? what : `${what}: ${excerpt}`, status);
}

interface ErrorFields {
  readonly message: string;
  readonly code: string | undefined;
  readonly option: string | undefined;
}

function readErrorBody(body: string): ErrorFields | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, code, option } = error as Record<string, unknown>;
  if (typeof message !== 'string' || message === '') return undefined;
  return {
    message,
    code: typeof code === 'string' ? code : undefined,
    option: typeof option === 'string' ? option : undefined,
  };
}
