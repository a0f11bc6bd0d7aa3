import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSession } from '../support/browser-session';
import { serviceCard, subjects, testServices, withToken } from '../support/dashboard-page';

// The dashboard as users get it: the built app served by a real monitor on a
// free port, its real JWT authentication, in Debian's chromium. Elements are
// found by the app's pinned hooks (data-service, data-status, data-state,
// data-connection) and by role and name, never by CSS class.

/** The admin controls a viewer must not see. */
const adminButtons = ['Reset', 'Force open', 'Disable', 'Release'];
const serviceNames = Object.keys(testServices);

const session = useBrowserSession();
const { open, openUrl } = session;

/** Waits until every service of the fleet has its card. */
async function cardsShown(page: Page): Promise<void> {
  for (const name of serviceNames) await serviceCard(page, name).waitFor({ timeout: 10_000 });
}

describe('the dashboard in Chromium', { timeout: 30_000 }, () => {
  it('loads from the running monitor: index.html and its assets, no console error, no failed request', async () => {
    const { page, problems, responses } = await open('viewer');
    await cardsShown(page);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 10_000 });
    const [document] = responses;
    expect(document).toMatchObject({ url: session.server.url, status: 200 });
    expect(document?.contentType).toMatch(/^text\/html/);
    const assets = responses.filter(({ url }) => url.startsWith(`${session.server.url}assets/`));
    expect(assets.filter(({ contentType }) => /javascript/.test(contentType ?? ''))).not.toEqual(
      [],
    );
    expect(assets.filter(({ contentType }) => /^text\/css/.test(contentType ?? ''))).not.toEqual(
      [],
    );
    // Everything came from the monitor: no CDN, no other host.
    for (const { url } of responses) expect(url.startsWith(session.server.url), url).toBe(true);
    expect(problems).toEqual([]);
  });

  it('turns a card failed within 2 s of its breaker being forced open through the HTTP API', async () => {
    const { page } = await open('viewer');
    await serviceCard(page, 'database', '[data-state="closed"]').waitFor({ timeout: 10_000 });
    await session.server.post(
      'api/circuit-breakers/database/force-open',
      await session.server.token('admin'),
    );
    await serviceCard(page, 'database', '[data-status="failed"][data-state="forced-open"]').waitFor(
      { timeout: 2_000 },
    );
    // The cascade: the service that depends on it is degraded.
    await serviceCard(page, 'payments', '[data-status="degraded"]').waitFor({ timeout: 2_000 });
  });

  it("lets an admin reset a breaker from its card, after confirming, and shows it in the audit log with the admin's name", async () => {
    await session.server.post(
      'api/circuit-breakers/search/force-open',
      await session.server.token('admin'),
    );
    const { page } = await open('admin');
    const card = serviceCard(page, 'search', '[data-state="forced-open"]');
    await card.getByRole('button', { name: 'Reset', exact: true }).click({ timeout: 10_000 });
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click({ timeout: 5_000 });
    await serviceCard(page, 'search', '[data-state="closed"]').waitFor({ timeout: 5_000 });
    expect(session.server.registry.breaker('search').status().state).toBe('closed');

    const audit = page
      .getByRole('tab', { name: 'Audit', exact: true })
      .or(page.getByRole('link', { name: 'Audit', exact: true }));
    await audit.click({ timeout: 5_000 });
    const resetEntry = page
      .getByRole('row')
      .filter({ hasText: subjects.admin })
      .filter({ hasText: 'search' })
      .filter({ hasText: /\breset\b/ });
    await resetEntry.first().waitFor({ timeout: 5_000 });
    const [entry] = await session.server.registry.audit({ service: 'search', limit: 1 });
    expect(entry).toMatchObject({ action: 'reset', actor: { id: subjects.admin, role: 'admin' } });
  });

  it('shows a viewer no admin control, where an admin sees them', async () => {
    await session.server.post(
      'api/circuit-breakers/database/force-open',
      await session.server.token('admin'),
    );
    const admin = await open('admin');
    await cardsShown(admin.page);
    await admin.page
      .getByRole('button', { name: 'Force open', exact: true })
      .first()
      .waitFor({ timeout: 5_000 });

    const { page } = await open('viewer');
    await cardsShown(page);
    await serviceCard(page, 'database', '[data-state="forced-open"]').waitFor({ timeout: 5_000 });
    for (const name of adminButtons) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
  });

  it('shows the connection reconnecting while the monitor is down and connected again once it is back', async () => {
    const { page } = await open('viewer');
    const connection = (status: string) => page.locator(`[data-connection="${status}"]`);
    await connection('connected').waitFor({ timeout: 10_000 });
    await session.server.stop();
    await connection('reconnecting').waitFor({ timeout: 10_000 });
    await session.server.start();
    // The client backs off with jitter (1 s, then up to 2 s, 4 s …): well within 20 s.
    await connection('connected').waitFor({ timeout: 20_000 });
    // And the stream is live again: a change reaches the card.
    await session.server.post(
      'api/circuit-breakers/search/force-open',
      await session.server.token('admin'),
    );
    await serviceCard(page, 'search', '[data-state="forced-open"]').waitFor({ timeout: 5_000 });
  });

  it('takes the token from the #token= fragment and removes it from the address bar', async () => {
    const token = await session.server.token('viewer');
    const { page } = await openUrl(withToken(session.server.url, token));
    await cardsShown(page);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 10_000 });
    expect(page.url()).not.toContain('token=');
    expect(page.url()).not.toContain(token.split('.')[2]);
  });

  it('signs in with a token pasted in the login form', async () => {
    const { page } = await openUrl(session.server.url);
    const field = page.getByLabel(/token/i);
    await field.fill(await session.server.token('viewer'), { timeout: 10_000 });
    await field.press('Enter');
    await cardsShown(page);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 10_000 });
  });
});
