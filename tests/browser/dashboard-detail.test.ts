import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSession } from '../support/browser-session';
import { serviceCard, subjects } from '../support/dashboard-page';

// The service detail (charts, transitions) and the dependency graph, in
// Debian's chromium, against a real monitor serving the built dashboard.
// The fleet: payments depends on database; search stands alone.

const session = useBrowserSession();
const { open } = session;

/** Opens a service's detail from its card. */
async function openDetail(page: Page, service: string): Promise<Locator> {
  await serviceCard(page, service).click({ timeout: 10_000 });
  const detail = page.getByRole('region', { name: `Service ${service}`, exact: true });
  await detail.waitFor({ timeout: 10_000 });
  return detail;
}

/** How many pixels of a canvas something was drawn on. */
function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const node = element as HTMLCanvasElement;
    const pixels = node.getContext('2d')?.getImageData(0, 0, node.width, node.height).data ?? [];
    let painted = 0;
    for (let alpha = 3; alpha < pixels.length; alpha += 4) if ((pixels[alpha] ?? 0) > 0) painted++;
    return painted;
  });
}

/** The transitions timeline's entry for a manual transition to `state`. */
function manualEntry(detail: Locator, from: string, to: string): Locator {
  return detail
    .getByRole('region', { name: 'Transitions' })
    .getByRole('listitem')
    .filter({ hasText: 'Operator action' })
    .filter({ hasText: `${from} → ${to}` });
}

describe('the service detail and the dependency graph in Chromium', { timeout: 40_000 }, () => {
  it('shows the three charts drawn on canvases and a transition made through the HTTP API', async () => {
    await session.server.post(
      'api/circuit-breakers/database/force-open',
      await session.server.token('admin'),
    );
    const { page, problems } = await open('viewer');
    const detail = await openDetail(page, 'database');

    await expect.poll(() => detail.locator('canvas').count(), { timeout: 10_000 }).toBe(3);
    for (const title of ['Calls per second', 'Failure rate', 'p95 latency']) {
      const chart = detail.getByRole('figure').filter({ hasText: title });
      const canvas = chart.locator('canvas');
      const box = await canvas.boundingBox();
      expect(box?.width, title).toBeGreaterThan(200);
      expect(box?.height, title).toBeGreaterThan(100);
      // Axes, grid and ticks at least: uPlot drew.
      expect(await paintedPixels(canvas), title).toBeGreaterThan(100);
    }

    await manualEntry(detail, 'closed', 'forced-open').waitFor({ timeout: 5_000 });
    await expect(detail.getByRole('heading', { name: 'database' }).isVisible()).resolves.toBe(true);
    expect(await detail.getByText('forced-open').first().isVisible()).toBe(true);

    await detail.getByRole('button', { name: 'Close', exact: true }).click();
    await detail.waitFor({ state: 'detached', timeout: 5_000 });
    expect(problems).toEqual([]);
  });

  it('names, for an admin, who made a manual transition (from the audit log)', async () => {
    await session.server.post(
      'api/circuit-breakers/search/force-open',
      await session.server.token('admin'),
    );
    const { page, problems } = await open('admin');
    const detail = await openDetail(page, 'search');
    const entry = manualEntry(detail, 'closed', 'forced-open');
    await entry.waitFor({ timeout: 10_000 });
    await entry.getByText(`by ${subjects.admin}`).waitFor({ timeout: 5_000 });
    expect(problems).toEqual([]);
  });

  it('refreshes while open: a transition made meanwhile appears within one refresh', async () => {
    const { page, problems } = await open('viewer');
    const detail = await openDetail(page, 'search');
    await detail
      .getByText('No transitions since the monitor started.')
      .waitFor({ timeout: 10_000 });
    await session.server.post(
      'api/circuit-breakers/search/force-open',
      await session.server.token('admin'),
    );
    // The detail reads again every 5 s.
    await manualEntry(detail, 'closed', 'forced-open').waitFor({ timeout: 8_000 });
    expect(problems).toEqual([]);
  });

  it('draws the dependency graph coloured by health, with the cascade edge highlighted', async () => {
    await session.server.post(
      'api/circuit-breakers/database/force-open',
      await session.server.token('admin'),
    );
    const { page, problems } = await open('viewer');
    await serviceCard(page, 'database', '[data-status="failed"]').waitFor({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'Dependencies', exact: true }).click();
    const graph = page.getByRole('region', { name: 'Dependency graph' });
    const node = (service: string) => graph.locator(`[data-service="${service}"]`);

    await node('database').waitFor({ timeout: 10_000 });
    await expect.poll(() => graph.locator('[data-service]').count(), { timeout: 5_000 }).toBe(3);
    expect(await node('database').getAttribute('data-health')).toBe('failed');
    expect(await node('payments').getAttribute('data-health')).toBe('degraded');
    expect(await node('database').textContent()).toContain('forced-open');

    // payments → database carries the failure: highlighted (animated, in the failed colour).
    const cascade = graph.locator('[data-dependent="payments"][data-dependency="database"]');
    // Attached, not "visible": a straight vertical edge has no width for Playwright.
    await cascade.waitFor({ state: 'attached', timeout: 5_000 });
    expect(await cascade.getAttribute('data-cascade')).toBe('failed');
    expect(await cascade.getAttribute('class')).toContain('animated');

    // The dependency sits below its dependent.
    const [above, below] = await Promise.all([
      node('payments').boundingBox(),
      node('database').boundingBox(),
    ]);
    expect(below && above && below.y > above.y + above.height).toBe(true);

    // Hovering the failed service lights up whom it degrades and dims the rest.
    await node('database').hover();
    await expect.poll(() => node('payments').getAttribute('data-emphasis')).toBe('focus');
    expect(await node('search').getAttribute('data-emphasis')).toBe('dim');
    expect(await cascade.getAttribute('data-highlight')).toBe('focus');

    // Clicking a node opens its detail, and keeps its cascade lit while the
    // pointer rests on a service that is part of none.
    await node('payments').click();
    await page
      .getByRole('region', { name: 'Service payments', exact: true })
      .waitFor({ timeout: 5_000 });
    await node('search').hover();
    // Two frames: React has rendered whatever the hover changed.
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    expect(await node('search').getAttribute('data-emphasis')).toBe('dim');
    expect(await node('database').getAttribute('data-emphasis')).toBe('focus');
    expect(problems).toEqual([]);
  });
});
