import { ApiError, apiErrorFrom } from './api-error';

/** The HTTP API calls the dashboard makes, all on the page's own origin with the token. */
export interface MonitorHttp {
  /** GET `path` and parse the JSON answer; rejects with an `ApiError` carrying the server's message. */
  fetchJson<T>(path: string): Promise<T>;
  /** POST without a body (the manual actions). */
  post<T>(path: string): Promise<T>;
  /** PATCH with a JSON body (the configuration). */
  patch<T>(path: string, body: unknown): Promise<T>;
}

export interface MonitorHttpOptions {
  readonly token: string;
  /** Called when the monitor answers 401 (an expired or revoked token), before the promise rejects. */
  readonly onUnauthorized?: (error: ApiError) => void;
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/** The monitor's HTTP API for one token. */
export function createMonitorHttp(options: MonitorHttpOptions): MonitorHttp {
  const { token, onUnauthorized } = options;
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await send(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ApiError(`The monitor cannot be reached (${messageOf(cause)})`, 0);
    }
    const text = await response.text();
    if (!response.ok) {
      const error = apiErrorFrom(response.status, response.statusText, text);
      if (response.status === 401) onUnauthorized?.(error);
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(`The monitor's answer to ${method} ${path} is not JSON`, response.status);
    }
  }

  return {
    fetchJson: (path) => request('GET', path),
    post: (path) => request('POST', path),
    patch: (path, body) => request('PATCH', path, body),
  };
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
