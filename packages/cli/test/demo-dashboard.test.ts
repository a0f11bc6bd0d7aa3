import { readFileSync } from 'node:fs';
import { dashboardRoot } from '@breakwater/dashboard';
import { createAuthenticator } from '@breakwater/server';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { tempStores, whenStarted } from './support/demo-run';
import { fakeIo } from './support/fake-io';
import { lines } from './support/output';

const newStore = tempStores();
const secret = 'a-demo-dashboard-secret-of-32-characters';

/** `breakwater demo ARGS` in-process on a fake clock; resolves once its traffic runs. */
async function startDemo(args: readonly string[], env: Record<string, string> = {}) {
  const fake = fakeIo({ env });
  let ended = false;
  const exit = runCli(['demo', ...args, '--store', newStore()], fake.io).finally(() => {
    ended = true;
  });
  await whenStarted(fake.clock, () => ended);
  return { fake, exit, ended: () => ended };
}

const linkPattern = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+\.[\w-]+\.[\w-]+)$/;

/** The admin and viewer links the demo printed, with their tokens' claims. */
function printedLinks(stdout: string) {
  const found = (label: RegExp) => {
    const line = lines(stdout).find((text) => label.test(text)) ?? '';
    const [, origin = '', token = ''] = linkPattern.exec(line) ?? [];
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}',
    ) as Record<string, unknown>;
    return { origin, token, claims };
  };
  return {
    admin: found(/^Open the dashboard \(admin/),
    viewer: found(/^Read-only link to share \(viewer\)/),
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('breakwater demo --port', () => {
  it('serves the dashboard and prints an admin and a viewer link whose tokens the monitor accepts for 12 hours', async () => {
    const demo = await startDemo(['--port', '0'], { BREAKWATER_JWT_SECRET: secret });
    try {
      const { admin, viewer } = printedLinks(demo.fake.stdout());
      expect(admin.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(viewer.origin).toBe(admin.origin);
      expect(demo.fake.stdout()).toContain(`listening on ${admin.origin}\n`);

      const authenticator = createAuthenticator(undefined, { BREAKWATER_JWT_SECRET: secret });
      await expect(authenticator.verify(admin.token)).resolves.toMatchObject({
        sub: 'demo-admin',
        role: 'admin',
      });
      await expect(authenticator.verify(viewer.token)).resolves.toMatchObject({
        sub: 'demo-viewer',
        role: 'viewer',
      });
      for (const { claims } of [admin, viewer]) {
        expect(Number(claims.exp) - Number(claims.iat)).toBe(12 * 3600);
      }

      const page = await fetch(`${admin.origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toBe(readFileSync(`${dashboardRoot}index.html`, 'utf8'));
      const health = await fetch(`${admin.origin}/api/circuit-breakers/health`, {
        headers: bearer(viewer.token),
      });
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      const reset = (token: string) =>
        fetch(`${admin.origin}/api/circuit-breakers/market-data/reset`, {
          method: 'POST',
          headers: bearer(token),
        }).then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        });
      expect(await reset(viewer.token)).toBe(403);
      expect(await reset(admin.token)).toBe(200);
    } finally {
      demo.fake.interrupt();
      await demo.exit;
    }
  });

  it('prints the links framed below the header, before the story starts', async () => {
    const demo = await startDemo(['--port', '0'], { BREAKWATER_JWT_SECRET: secret });
    demo.fake.interrupt();
    expect(await demo.exit).toBe(0);
    const output = lines(demo.fake.stdout());
    const faults = output.findIndex((line) => line.startsWith('Injected faults:'));
    const adminLine = output.findIndex((line) => line.startsWith('Open the dashboard (admin'));
    expect(faults).toBeGreaterThan(0);
    expect(adminLine).toBeGreaterThan(faults);
    expect(output[adminLine - 1]).toMatch(/^─{40,}$/);
    expect(output[adminLine + 3]).toMatch(/^─{40,}$/);
    expect(output).toContain('Runs until Ctrl-C.');
  });

  it('signs the links with the secret it makes for the run when none is set', async () => {
    const demo = await startDemo(['--port', '0']);
    demo.fake.interrupt();
    expect(await demo.exit).toBe(0);
    const made = /this run's secret is (\S+)\n/.exec(demo.fake.stdout())?.[1] ?? '';
    expect(made.length).toBeGreaterThanOrEqual(32);
    const { admin } = printedLinks(demo.fake.stdout());
    const authenticator = createAuthenticator(undefined, { BREAKWATER_JWT_SECRET: made });
    await expect(authenticator.verify(admin.token)).resolves.toMatchObject({ role: 'admin' });
    const other = createAuthenticator(undefined, { BREAKWATER_JWT_SECRET: secret });
    await expect(other.verify(admin.token)).rejects.toThrow();
  });

  it('keeps running past the default duration and through repeated outages until Ctrl-C, then stops the server and prints the summary', async () => {
    const demo = await startDemo(['--port', '0'], { BREAKWATER_JWT_SECRET: secret });
    const { origin } = printedLinks(demo.fake.stdout()).admin;
    await demo.fake.clock.advanceAsync(100_000);
    expect(demo.ended()).toBe(false);
    expect(demo.fake.listening()).toBe(true);
    // The story came back: market-data opened again in its second and third pass.
    const openings = demo.fake.stdout().match(/market-data\s+closed → open/g) ?? [];
    expect(openings).toHaveLength(3);

    demo.fake.interrupt();
    expect(await demo.exit).toBe(0);
    expect(demo.fake.stdout()).toContain('demo interrupted after 100s');
    expect(demo.fake.stdout()).toContain('calls:');
    expect(demo.fake.listening()).toBe(false);
    expect(demo.fake.clock.pendingTimers).toBe(0);
    await expect(fetch(`${origin}/`)).rejects.toThrow();
  });

  it('ends by itself after --duration, serving until then', async () => {
    const demo = await startDemo(['--port', '0', '--duration', '2'], {
      BREAKWATER_JWT_SECRET: secret,
    });
    expect(demo.fake.stdout()).toContain('Runs 2s (40 s at real scale); Ctrl-C stops early.');
    await demo.fake.clock.advanceAsync(2_000);
    expect(await demo.exit).toBe(0);
    expect(demo.fake.stdout()).toContain('demo over after 2s');
    expect(demo.fake.listening()).toBe(false);
  });

  it('takes the port from BREAKWATER_DEMO_PORT too, and then runs until Ctrl-C as well', async () => {
    const demo = await startDemo([], { BREAKWATER_JWT_SECRET: secret, BREAKWATER_DEMO_PORT: '0' });
    await demo.fake.clock.advanceAsync(30_000);
    expect(demo.ended()).toBe(false);
    expect(printedLinks(demo.fake.stdout()).viewer.claims.role).toBe('viewer');
    demo.fake.interrupt();
    expect(await demo.exit).toBe(0);
  });
});

describe('breakwater demo without --port', () => {
  it('ends by itself after the default 20 s, serving nothing', async () => {
    const demo = await startDemo([]);
    await demo.fake.clock.advanceAsync(20_000);
    expect(await demo.exit).toBe(0);
    expect(demo.fake.stdout()).toContain('demo over after 20s');
    expect(demo.fake.stdout()).not.toContain('#token=');
    expect(demo.fake.stdout()).not.toContain('listening on');
  });
});
