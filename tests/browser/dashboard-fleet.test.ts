import { Registry, type ServicesConfig } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useBrowserSession } from '../support/browser-session';
import { type DashboardServer, startDashboardServer, withToken } from '../support/dashboard-page';
import {
  deleteKeysWithPrefix,
  describeWithRedis,
  redisUrl,
  uniqueKeyPrefix,
} from '../support/redis';

// The Fleet view in Chromium: a monitor over a shared registry on the real
// Redis, and a second instance of the fleet in this process.

const session = useBrowserSession();

/** Both instances have these; the second also has `ledger`. */
const services: ServicesConfig = {
  'market-data': { failureThreshold: 1, resetTimeout: 500 },
  search: { failureThreshold: 5, resetTimeout: 30_000 },
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openShared(keyPrefix: string, config: ServicesConfig): Promise<Registry> {
  const store = await RedisStore.connect({ url: redisUrl, keyPrefix, flushInterval: 100 });
  return Registry.open({ store, shared: true, services: config });
}

interface Fleet {
  readonly monitor: DashboardServer;
  /** The monitor's registry (instance A) and the other instance's (B). */
  readonly a: Registry;
  readonly b: Registry;
  readonly idA: string;
  readonly idB: string;
}

async function startFleet(): Promise<Fleet> {
  const keyPrefix = uniqueKeyPrefix('dashboard-fleet');
  cleanups.push(() => deleteKeysWithPrefix(keyPrefix));
  const a = await openShared(keyPrefix, services);
  const monitor = await startDashboardServer(a);
  cleanups.push(() => monitor.close());
  const b = await openShared(keyPrefix, { ...services, ledger: {} });
  cleanups.push(() => b.close());
  const idA = a.sharingStatus()?.instance;
  const idB = b.sharingStatus()?.instance;
  if (idA === undefined || idB === undefined) throw new Error('the registries are not shared');
  return { monitor, a, b, idA, idB };
}

/** Signs in as a viewer on the fleet's monitor and opens the Fleet tab. */
async function openFleet({ monitor }: Fleet): Promise<Page> {
  const { page } = await session.openUrl(withToken(monitor.url, await monitor.token('viewer')));
  await page.getByRole('tab', { name: 'Fleet', exact: true }).click({ timeout: 10_000 });
  return page;
}

function row(page: Page, instance: string) {
  return page.locator(`tr[data-instance="${instance}"]`);
}

/** The text of one cell of an instance's row: 2 mode, 3 last heard, 4 breakers, 5 calls, 6 not closed. */
async function cell(page: Page, instance: string, column: number): Promise<string> {
  const text = await row(page, instance)
    .locator(`:is(th, td):nth-child(${column})`)
    .textContent({ timeout: 5_000 });
  return text?.trim() ?? '';
}

/** The breakers an instance's row shows not closed, with their state. */
function notClosed(page: Page, instance: string): Promise<string[]> {
  return row(page, instance)
    .locator('[data-breaker]')
    .evaluateAll((items) =>
      items.map(
        (item) => `${item.getAttribute('data-breaker')} ${item.getAttribute('data-state')}`,
      ),
    );
}

describeWithRedis('the Fleet view of a monitor over a shared registry, in Chromium', () => {
  it('lists both instances with what each reports, and follows a force open', {
    timeout: 30_000,
  }, async () => {
    const fleet = await startFleet();
    const { a, b, idA, idB } = fleet;
    const page = await openFleet(fleet);

    await expect
      .poll(
        () =>
          page
            .locator('tr[data-instance]')
            .evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-instance'))),
        { timeout: 10_000 },
      )
      .toEqual([idA, idB]);
    expect(await row(page, idA).getAttribute('data-mode')).toBe('shared');
    expect(await row(page, idB).getAttribute('data-mode')).toBe('shared');
    expect(await cell(page, idA, 1)).toContain('this monitor');
    expect(await cell(page, idB, 1)).not.toContain('this monitor');
    expect(await page.locator('[data-sharing]').getAttribute('data-sharing')).toBe('shared');

    // What the second instance reports of itself: its own breaker and its own calls.
    expect(await cell(page, idA, 4)).toBe('2');
    expect(await cell(page, idB, 4)).toBe('3');
    for (let n = 0; n < 7; n++) await b.breaker('search').execute(async () => 'ok');
    await expect.poll(() => cell(page, idB, 5), { timeout: 5_000 }).toBe('7');
    expect(await cell(page, idA, 5)).toBe('0');

    // A force open through the second instance is the fleet's: both see it.
    await b.forceOpen('search');
    await expect
      .poll(() => notClosed(page, idB), { timeout: 5_000 })
      .toEqual(['search forced-open']);
    await expect
      .poll(() => notClosed(page, idA), { timeout: 5_000 })
      .toEqual(['search forced-open']);
    expect(a.get('search')?.state).toBe('forced-open');
    expect(await page.locator('[data-disagreement]').count()).toBe(0);
  });

  it('shows a breaker the instances see in different states as a disagreement', {
    timeout: 30_000,
  }, async () => {
    const fleet = await startFleet();
    const { a, b, idA, idB } = fleet;
    const page = await openFleet(fleet);
    await row(page, idB).waitFor({ timeout: 10_000 });

    // A trip on B opens market-data on both; once the open period is over, B's next call
    // moves B alone to half-open (that move is not announced), while A stays open.
    const marketData = b.breaker('market-data');
    await marketData.execute(() => Promise.reject(new Error('down'))).catch(() => {});
    await expect.poll(() => a.get('market-data')?.state, { timeout: 5_000 }).toBe('open');
    await expect
      .poll(
        async () => {
          await marketData.execute(async () => 'ok').catch(() => {});
          return marketData.state;
        },
        { timeout: 5_000, interval: 100 },
      )
      .toBe('half-open');

    const disagreement = page.locator('[data-disagreement="market-data"]');
    await disagreement.waitFor({ timeout: 5_000 });
    expect(await disagreement.textContent()).toBe(
      `market-data: open on 1 of 2 instances (${idA}), half-open on 1 (${idB})`,
    );
    expect(await notClosed(page, idA)).toEqual(['market-data open']);
    expect(await notClosed(page, idB)).toEqual(['market-data half-open']);
  });
});

describe('the dashboard of a monitor over a registry that is not shared', {
  timeout: 30_000,
}, () => {
  it('asks the monitor once after sign-in, and offers no Fleet tab', async () => {
    const { page, responses } = await session.open('admin');
    await page.getByRole('tab', { name: 'Audit', exact: true }).waitFor({ timeout: 10_000 });
    const fleetAnswers = () =>
      responses.filter(
        ({ url, status }) => new URL(url).pathname === '/api/fleet' && status === 200,
      );
    await expect.poll(() => fleetAnswers().length, { timeout: 10_000 }).toBe(1);
    // Two frames: React has rendered what that answer (`sharing: null`) says.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    expect(await page.getByRole('tab').allTextContents()).toEqual([
      'Services',
      'Dependencies',
      'Audit',
    ]);
    expect(fleetAnswers()).toHaveLength(1);
  });
});
