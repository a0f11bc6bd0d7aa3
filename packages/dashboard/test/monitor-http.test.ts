import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom } from '../app/api/api-error';
import { createMonitorHttp } from '../app/api/monitor-http';

describe('apiErrorFrom', () => {
  it("takes the message, code and option of the API's JSON error body", () => {
    const body = JSON.stringify({
      error: {
        code: 'BW_INVALID_CONFIG',
        message: "Invalid option 'failureThreshold': -1 (expected an integer >= 1)",
        option: 'failureThreshold',
        value: -1,
      },
    });
    const error = apiErrorFrom(400, 'Bad Request', body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      message: "Invalid option 'failureThreshold': -1 (expected an integer >= 1)",
      status: 400,
      code: 'BW_INVALID_CONFIG',
      option: 'failureThreshold',
    });
  });

  it('names the status and the start of a body that is not the API’s error (a proxy page)', () => {
    const page = `<html><body>${'Bad gateway '.repeat(30)}</body></html>`;
    const error = apiErrorFrom(502, 'Bad Gateway', page);
    expect(error.message).toMatch(/^HTTP 502 Bad Gateway: <html><body>Bad gateway/);
    expect(error.message.length).toBeLessThan(150);
    expect(error.message.endsWith('…')).toBe(true);
    expect(error).toMatchObject({ status: 502, code: undefined, option: undefined });
  });

  it('names the status alone for an empty body', () => {
    expect(apiErrorFrom(500, '', '').message).toBe('HTTP 500');
  });

  it.each([
    ['{"error":"plain string"}'],
    ['{"error":{"code":"X"}}'],
    ['{"error":{"message":""}}'],
    ['null'],
    ['[1]'],
  ])('falls back to the status for JSON without an error message: %s', (body) => {
    expect(apiErrorFrom(503, 'Service Unavailable', body).message).toBe(
      `HTTP 503 Service Unavailable: ${body}`,
    );
  });
});

/** A fetch that answers every request with `status` and `body`, and records the requests. */
function fakeFetch(status: number, body: string) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, init: RequestInit = {}) => {
    requests.push({ url: String(url), init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

describe('createMonitorHttp', () => {
  it('sends the token as a bearer token and parses the JSON answer', async () => {
    const { fetch, requests } = fakeFetch(200, '{"entries":[]}');
    const http = createMonitorHttp({ token: 'tok.en.x', fetch });
    await expect(http.fetchJson('/api/audit?limit=5')).resolves.toEqual({ entries: [] });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/api/audit?limit=5');
    expect(requests[0]?.init.method).toBe('GET');
    expect(new Headers(requests[0]?.init.headers).get('authorization')).toBe('Bearer tok.en.x');
  });

  it('sends a PATCH body as JSON', async () => {
    const { fetch, requests } = fakeFetch(200, '{}');
    await createMonitorHttp({ token: 't', fetch }).patch('/x/config', { failureThreshold: 3 });
    expect(requests[0]?.init.method).toBe('PATCH');
    expect(requests[0]?.init.body).toBe('{"failureThreshold":3}');
    expect(new Headers(requests[0]?.init.headers).get('content-type')).toBe('application/json');
  });

  it("rejects with the server's message, status and code", async () => {
    const { fetch } = fakeFetch(
      404,
      '{"error":{"code":"BW_UNKNOWN_SERVICE","message":"Unknown service \'nope\'","service":"nope"}}',
    );
    const failure = createMonitorHttp({ token: 't', fetch }).post(
      '/api/circuit-breakers/nope/reset',
    );
    await expect(failure).rejects.toThrow("Unknown service 'nope'");
    await expect(failure).rejects.toMatchObject({ status: 404, code: 'BW_UNKNOWN_SERVICE' });
  });

  it('reports a 401 to onUnauthorized before rejecting; other refusals not', async () => {
    const seen: ApiError[] = [];
    const expired = fakeFetch(
      401,
      '{"error":{"code":"TOKEN_EXPIRED","message":"The token has expired"}}',
    );
    const http = createMonitorHttp({
      token: 't',
      fetch: expired.fetch,
      onUnauthorized: (e) => seen.push(e),
    });
    await expect(http.fetchJson('/api/fleet')).rejects.toThrow('The token has expired');
    expect(seen.map((error) => error.code)).toEqual(['TOKEN_EXPIRED']);

    const forbidden = fakeFetch(403, '{"error":{"code":"FORBIDDEN","message":"Admins only"}}');
    const viewer = createMonitorHttp({
      token: 't',
      fetch: forbidden.fetch,
      onUnauthorized: (e) => seen.push(e),
    });
    await expect(viewer.fetchJson('/api/audit')).rejects.toMatchObject({ status: 403 });
    expect(seen).toHaveLength(1);
  });

  it('says the monitor cannot be reached when the request itself fails', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    await expect(createMonitorHttp({ token: 't', fetch }).fetchJson('/x')).rejects.toMatchObject({
      message: 'The monitor cannot be reached (Failed to fetch)',
      status: 0,
    });
  });

  it('says so when a successful answer is not JSON', async () => {
    const { fetch } = fakeFetch(200, '<html>');
    await expect(createMonitorHttp({ token: 't', fetch }).fetchJson('/x')).rejects.toThrow(
      "The monitor's answer to GET /x is not JSON",
    );
  });
});
