import type { CircuitOpenError } from '@breakwater/core';

/** The JSON body of a 503 answered while a circuit is open: `CircuitBreakerOpen`, naming the service. */
export interface OpenResponseBody {
  readonly error: {
    readonly type: 'CircuitBreakerOpen';
    /** The breaker's name. */
    readonly service: string;
    readonly message: string;
    /**
     * Milliseconds until the breaker admits a trial call. While forced open
     * there is no such time, so it is the adapter's hint of when to check
     * back (the breaker's reset timeout unless `forcedOpenRetryAfter` says).
     */
    readonly retryAfter: number;
  };
}

/** A framework-neutral 503 response: every adapter sends exactly this. */
export interface OpenResponse {
  readonly status: 503;
  /** `content-type`, and `retry-after` (whole seconds, rounded up). */
  readonly headers: Readonly<Record<string, string>>;
  /** The serialised {@link OpenResponseBody}. */
  readonly body: string;
}

/**
 * Builds the 503 answered for a rejection by an open (or forced-open)
 * breaker. `forcedOpenRetryAfter` (ms) stands in for the retry time a
 * forced-open rejection does not have: clients and proxies rely on
 * `Retry-After` being there, and a forced open lasts until an
 * operator releases it, so the hint is only when to check back.
 */
export function openResponse(error: CircuitOpenError, forcedOpenRetryAfter = 30_000): OpenResponse {
  const retryAfter = Math.ceil(error.retryAfter ?? forcedOpenRetryAfter);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'retry-after': String(Math.ceil(retryAfter / 1000)),
  };
  const body: OpenResponseBody = {
    error: {
      type: 'CircuitBreakerOpen',
      service: error.breaker,
      message: describe(error, retryAfter),
      retryAfter,
    },
  };
  return { status: 503, headers, body: JSON.stringify(body) };
}

function describe(error: CircuitOpenError, retryAfter: number): string {
  const unavailable = `Service '${error.breaker}' is temporarily unavailable`;
  switch (error.state) {
    case 'forced-open':
      return `${unavailable}: its circuit is forced open until released`;
    case 'half-open':
      return `${unavailable}: its circuit is testing recovery; retry shortly`;
    case 'open':
      return `${unavailable}: its circuit is open; retry in ${retryAfter} ms`;
  }
}
