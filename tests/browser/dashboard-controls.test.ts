import { signToken } from '@breakwater/server';
import { describe, expect, it } from 'vitest';
import { useBrowserSession } from '../support/browser-session';
import { serviceCard, subjects, withToken } from '../support/dashboard-page';

// The dashboard's filter and search, and its configuration form, in
// Chromium against a real monitor serving the built app (the fleet of
// tests/support/dashboard-page.ts: payments depends on database).

const session = useBrowserSession();

async function open(role: 'admin' | 'viewer') {
  const entry = await session.open(role);
  await entry.page.locator('[data-connection="connected"]').waitFor({ timeout: 10_000 });
  return entry.page;
}

describe('the dashboard controls in Chromium', { timeout: 30_000 }, () => {
  it('filters the cards by health, with the count of each, and searches them by name', async () => {
    await session.server.post(
      'api/circuit-breakers/database/force-open',
      await session.server.token('admin'),
    );
    const page = await open('viewer');
    await serviceCard(page, 'payments', '[data-status="degraded"]').waitFor({ timeout: 10_000 });
    const cards = page.locator('[data-service]');
    const shownNames = () =>
      cards.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-service')));
    expect(await shownNames()).toEqual(['database', 'payments', 'search']);

    const filters = page.getByRole('group', { name: 'Filter by health' });
    await filters.getByRole('button', { name: 'Failed 1' }).click();
    await expect.poll(shownNames).toEqual(['database']);
    await filters.getByRole('button', { name: 'Degraded 1' }).click();
    await expect.poll(shownNames).toEqual(['payments']);
    await filters.getByRole('button', { name: 'Healthy 0' }).click();
    await expect.poll(shownNames).toEqual([]);
    await page.getByText('No service matches this filter.').waitFor();

    await filters.getByRole('button', { name: 'All 3' }).click();
    await page.getByRole('searchbox', { name: 'Search services by name' }).fill('PAY');
    await expect.poll(shownNames).toEqual(['payments']);
    await page.getByRole('searchbox', { name: 'Search services by name' }).fill('');
    await expect.poll(shownNames).toEqual(['database', 'payments', 'search']);
  });

  it("shows the monitor's refusal of a configuration next to the option, then applies a valid one", async () => {
    const page = await open('admin');
    await serviceCard(page, 'search')
      .getByRole('button', { name: 'Edit configuration' })
      .click({ timeout: 10_000 });
    const dialog = page.getByRole('dialog');
    // The form starts from the breaker's current options.
    const threshold = dialog.getByRole('textbox', { name: /Failure threshold/ });
    await expect.poll(() => threshold.inputValue()).toBe('5');

    await threshold.fill('-1');
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    await dialog.getByText('failureThreshold: 5 → -1').waitFor();
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor({ timeout: 5_000 });
    expect(await refusal.textContent()).toMatch(/failureThreshold.*-1/);
    expect(await threshold.getAttribute('aria-invalid')).toBe('true');
    expect(session.server.registry.breaker('search').options.failureThreshold).toBe(5);

    await threshold.fill('7');
    await dialog.getByRole('button', { name: 'Review changes' }).click();
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 5_000 });
    await page.getByRole('status').filter({ hasText: 'search: configuration changed' }).waitFor();
    expect(session.server.registry.breaker('search').options.failureThreshold).toBe(7);
    const [entry] = await session.server.registry.audit({ service: 'search', limit: 1 });
    expect(entry).toMatchObject({
      action: 'configure',
      outcome: 'ok',
      actor: { id: subjects.admin },
      after: { failureThreshold: 7 },
    });
  });

  it('brings the sign-in form back with the reason when the monitor refuses the token', async () => {
    const forged = await signToken({ sub: 'mallory', role: 'admin', ttl: '10m' }, undefined, {
      BREAKWATER_JWT_SECRET: 'not-the-monitors-secret-but-long-enough-1234',
    });
    const entry = await session.openUrl(withToken(session.server.url, forged));
    const reason = entry.page.getByRole('alert');
    await reason.waitFor({ timeout: 10_000 });
    expect(await reason.textContent()).toMatch(/refused the token/);
    await entry.page.getByLabel('Token').waitFor();
    // Not kept: a reload does not try it again.
    await entry.page.reload();
    await entry.page.getByLabel('Token').waitFor();
    expect(await entry.page.getByRole('alert').count()).toBe(0);
  });

  it('forgets the token on Sign out', async () => {
    const page = await open('viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    await page.reload();
    await page.getByLabel('Token').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-service]').count()).toBe(0);
  });

  it('tells a viewer the audit log needs an admin token, without asking the monitor for it', async () => {
    const page = await open('viewer');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.getByRole('tab', { name: 'Audit' }).click();
    await page.getByText('The audit log needs an admin token').waitFor({ timeout: 5_000 });
    expect(requests).not.toContain('/api/audit');
  });
});
