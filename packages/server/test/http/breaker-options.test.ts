import { describe, expect, it } from 'vitest';
import { bearer, fixture, token } from './fixture';

// The dashboard's configuration form starts from these values and sends
// back only what changed: the options must be those PATCH …/config takes.

async function optionsOf(app: ReturnType<typeof fixture>['app'], name: string) {
  const response = await app.request(`/api/circuit-breakers/${name}`, {
    headers: bearer(await token('vera', 'viewer')),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { options: Record<string, unknown> }).options;
}

describe('GET /api/circuit-breakers/:name reports the current options', () => {
  it("gives the breaker's plain-data options, its configured values over the defaults", async () => {
    const { app } = fixture();
    const options = await optionsOf(app, 'database');
    expect(options).toMatchObject({
      failureThreshold: 2,
      latencySampling: 1,
      resetTimeout: 30_000,
      slidingWindow: { type: 'count', size: 100 },
    });
    // Nothing a JSON body could not carry back (functions, the clock).
    expect(JSON.parse(JSON.stringify(options))).toEqual(options);
    expect(options).not.toHaveProperty('clock');
  });

  it('follows a change made with PATCH …/config, and takes its own answer back unchanged', async () => {
    const { app } = fixture();
    const admin = { ...bearer(await token('ada', 'admin')), 'content-type': 'application/json' };
    const patched = await app.request('/api/circuit-breakers/payments/config', {
      method: 'PATCH',
      headers: admin,
      body: JSON.stringify({ failureThreshold: 7 }),
    });
    expect(patched.status).toBe(200);
    const { after } = (await patched.json()) as { after: Record<string, unknown> };
    const options = await optionsOf(app, 'payments');
    expect(options).toEqual(after);
    expect(options.failureThreshold).toBe(7);

    const again = await app.request('/api/circuit-breakers/payments/config', {
      method: 'PATCH',
      headers: admin,
      body: JSON.stringify(options),
    });
    expect(again.status).toBe(200);
  });
});
