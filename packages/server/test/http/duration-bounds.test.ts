import { describe, expect, it } from 'vitest';
import { bearer, fixture, token } from './fixture';

interface ErrorJson {
  error: { code: string; message: string; option?: string; value?: unknown; expected?: string };
}

async function patch(app: ReturnType<typeof fixture>['app'], body: unknown): Promise<Response> {
  return app.request('/api/circuit-breakers/payments/config', {
    method: 'PATCH',
    headers: { ...bearer(await token('ops', 'admin')), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('PATCH …/config refuses durations and multipliers past their bounds', () => {
  it.each([
    ['resetTimeout', 9e15],
    ['timeout', 2 ** 31],
    ['maxResetTimeout', 2 ** 31],
    ['slidingWindow.size', 2 ** 31],
    ['adaptive.halfLife', 1e12],
  ])(
    'answers 400 naming %s, its value and the bound, and changes nothing',
    async (option, value) => {
      const { app, registry } = fixture();
      const [key, inner] = option.split('.') as [string, string | undefined];
      const body =
        inner === undefined
          ? { [key]: value }
          : { [key]: key === 'slidingWindow' ? { type: 'time', size: value } : { [inner]: value } };
      const before = registry.breaker('payments').options;
      const response = await patch(app, body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as ErrorJson;
      expect(error).toMatchObject({ code: 'BW_INVALID_CONFIG', option, value });
      expect(error.expected).toContain('2147483647');
      expect(registry.breaker('payments').options).toBe(before);
    },
  );

  it('answers 400 for a backoffMultiplier above 100', async () => {
    const { app } = fixture();
    const { error } = (await (await patch(app, { backoffMultiplier: 1e6 })).json()) as ErrorJson;
    expect(error).toMatchObject({
      option: 'backoffMultiplier',
      expected: 'a factor from 1 to 100',
    });
  });

  it('keeps every route answering after a breaker with the longest reset timeout trips', async () => {
    const { app, registry } = fixture();
    expect((await patch(app, { resetTimeout: 2_147_483_647, failureThreshold: 1 })).status).toBe(
      200,
    );
    await registry
      .breaker('payments')
      .execute(async () => Promise.reject(new Error('down')))
      .catch(() => undefined);
    const viewer = { headers: bearer(await token('vic', 'viewer')) };
    const one = await app.request('/api/circuit-breakers/payments', viewer);
    expect(await one.json()).toMatchObject({ state: 'open', recoveryIn: 2_147_483_647 });
    expect((await app.request('/api/health/circuit-breaker')).status).toBe(200);
    expect((await app.request('/metrics')).status).toBe(200);
  });
});
