import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSession } from '../support/browser-session';

// The audit view paging back through a log longer than one page (the view
// asks for 200 entries at a time), in Chromium against a real monitor.

const session = useBrowserSession();

/** Entries the view asks for at a time (app/audit/audit-log-state.ts). */
const pageSize = 200;
/** One page and a short one: 250 entries, by the actors op-1 (oldest) to op-250. */
const entryCount = 250;

/** Appends `entryCount` audited actions on `search`, each by an actor of its own. */
async function fillAuditLog(): Promise<void> {
  const { registry } = session.server;
  for (let n = 1; n <= entryCount; n++) {
    const actor = { id: `op-${n}`, role: 'admin' };
    if (n % 2 === 1) await registry.forceOpen('search', actor);
    else await registry.release('search', actor);
  }
}

/** Opens the audit view as an admin; resolves once the newest page is shown. */
async function openAudit(): Promise<Page> {
  const { page } = await session.open('admin');
  await page.getByRole('tab', { name: 'Audit', exact: true }).click({ timeout: 10_000 });
  await expect.poll(() => auditIds(page), { timeout: 5_000 }).toHaveLength(pageSize);
  return page;
}

/** The ids of the rows shown, top to bottom. */
function auditIds(page: Page): Promise<number[]> {
  return page
    .locator('[data-audit-id]')
    .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-audit-id'))));
}

/** The actors of the rows shown, top to bottom (the second cell of each row). */
function actors(page: Page): Promise<string[]> {
  return page
    .locator('[data-audit-id] td:nth-child(2)')
    .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim() ?? ''));
}

function showOlder(page: Page) {
  return page.getByRole('button', { name: 'Show older', exact: true });
}

describe('the audit view, a page at a time, in Chromium', { timeout: 30_000 }, () => {
  it('appends the older entries on "Show older", each once, and hides the button at the end', async () => {
    await fillAuditLog();
    const page = await openAudit();
    expect((await actors(page)).slice(0, 2)).toEqual(['op-250', 'op-249']);
    expect((await actors(page)).at(-1)).toBe('op-51');

    await showOlder(page).click({ timeout: 5_000 });
    await expect.poll(() => auditIds(page)).toHaveLength(entryCount);
    const shown = await actors(page);
    expect(shown).toEqual(
      Array.from({ length: entryCount }, (_, index) => `op-${entryCount - index}`),
    );
    const ids = await auditIds(page);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(entryCount);
    // The last page was short: nothing older is left.
    await showOlder(page).waitFor({ state: 'detached', timeout: 5_000 });

    // Refresh starts again from the newest page.
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(() => auditIds(page)).toHaveLength(pageSize);
    await showOlder(page).waitFor({ timeout: 5_000 });
  });

  it('keeps the entries shown when "Show older" fails, and loads them on a second try', async () => {
    await fillAuditLog();
    const page = await openAudit();
    const olderPage = /\/api\/audit\?.*\bbefore=/;
    await page.route(olderPage, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'BW_STORE_UNAVAILABLE', message: 'The state store is out of reach' },
        }),
      }),
    );
    await showOlder(page).click({ timeout: 5_000 });
    const alert = page.getByRole('alert').filter({ hasText: 'Older entries cannot be read' });
    await alert.waitFor({ timeout: 5_000 });
    expect(await alert.textContent()).toContain('The state store is out of reach');
    expect(await auditIds(page)).toHaveLength(pageSize);

    await page.unroute(olderPage);
    await showOlder(page).click({ timeout: 5_000 });
    await expect.poll(() => auditIds(page)).toHaveLength(entryCount);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('pages a service filter, and changing the filter starts again from the newest', async () => {
    await fillAuditLog();
    // 50 newer entries for database: the first page of every service holds 150 of search.
    for (let n = 1; n <= 50; n++) {
      await session.server.registry.reset('database', { id: `db-op-${n}`, role: 'admin' });
    }
    const page = await openAudit();
    expect((await actors(page)).filter((actor) => actor.startsWith('db-op'))).toHaveLength(50);

    const service = page.getByLabel('Service', { exact: true });
    await service.selectOption('search');
    await expect.poll(async () => (await actors(page))[0]).toBe('op-250');
    expect(await auditIds(page)).toHaveLength(pageSize);
    await showOlder(page).click({ timeout: 5_000 });
    await expect.poll(() => auditIds(page)).toHaveLength(entryCount);
    expect((await actors(page)).at(-1)).toBe('op-1');
    await showOlder(page).waitFor({ state: 'detached', timeout: 5_000 });

    await service.selectOption('database');
    await expect.poll(() => auditIds(page)).toHaveLength(50);
    expect(await showOlder(page).count()).toBe(0);
  });
});
