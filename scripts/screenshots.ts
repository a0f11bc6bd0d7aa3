/**
 * The dashboard's screenshots in docs/images (`npm run screenshots`): the
 * demo's fleet (examples/degenduel.yaml) under the demo's traffic and
 * injected outages, served by a monitor with the dashboard, photographed in
 * Debian's chromium at 1280×800 while the outages run:
 *
 *   dashboard-services.png      the service cards: open, forced-open, disabled, degraded, healthy
 *   dashboard-detail.png        market-data's charts and transitions
 *   dashboard-dependencies.png  the dependency graph with market-data's cascade
 *   dashboard-audit.png         the audit log of the admin's actions
 *
 * Before the traffic starts an admin forces referral open, disables
 * achievement and lowers admin-wallet's failure threshold through the HTTP
 * API, so the cards show every state; before the audit picture the admin
 * resets vanity-wallet from its card. The demo's store is a temporary file:
 * nothing is restored and the repository's store is left alone.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo, timeScale } from '@breakwater/cli';
import type { Registry } from '@breakwater/core';
import { dashboardRoot } from '@breakwater/dashboard';
import { createMonitor, signToken } from '@breakwater/server';
import type { Page } from 'playwright-core';
import { ensureChromium, launchChromium } from '../tests/support/chromium';
import { ensureDashboard } from './ensure-dashboard.mjs';

const imagesDir = fileURLToPath(new URL('../docs/images/', import.meta.url));
const env = { BREAKWATER_JWT_SECRET: 'screenshots-secret-for-this-run-only-0123456789' };
/** Who the audit log shows as the admin. */
const adminSub = 'ada@ops';
/** Long enough for every picture; the demo is stopped as soon as they are taken. */
const demoDurationMs = 60_000;

async function main(): Promise<void> {
  ensureChromium();
  if (!ensureDashboard()) throw new Error('the dashboard did not build: see the output above');
  await mkdir(imagesDir, { recursive: true });
  const storeDir = await mkdtemp(join(tmpdir(), 'breakwater-screenshots-'));
  const done = new AbortController();
  let failure: unknown;
  try {
    await runDemo({
      write: () => {},
      durationMs: demoDurationMs,
      storeFile: join(storeDir, 'demo.db'),
      fresh: true,
      signal: done.signal,
      async onOpen(registry) {
        // The charts sample at demo speed, as in `breakwater demo`: every 5 s of the time it stands for.
        const monitor = createMonitor({
          registry,
          env,
          dashboard: dashboardRoot,
          history: { interval: 5_000 / timeScale },
          log: () => {}, // the alerts of the outages: not wanted in this script's output
        });
        const { url } = await monitor.start({ port: 0 });
        const shooting = takeScreenshots(`${url}/`, registry)
          .catch((error: unknown) => {
            failure = error;
          })
          .finally(() => done.abort());
        return async () => {
          await shooting;
          await monitor.stop();
        };
      },
    });
  } finally {
    await rm(storeDir, { recursive: true, force: true });
  }
  if (failure !== undefined) throw failure;
}

async function takeScreenshots(url: string, registry: Registry): Promise<void> {
  const token = await signToken({ sub: adminSub, role: 'admin' }, undefined, env);
  /** An admin's request to the HTTP API: POST for an action, PATCH with a body for a configuration. */
  const asAdmin = async (path: string, body?: unknown) => {
    const method = body === undefined ? 'POST' : 'PATCH';
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }
  };
  const transitions = untilTransitions(registry, 'market-data', 5);
  await asAdmin('api/circuit-breakers/referral/force-open');
  await asAdmin('api/circuit-breakers/achievement/disable');
  await asAdmin('api/circuit-breakers/admin-wallet/config', { failureThreshold: 5 });

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}#token=${token}`);
    const card = (service: string, hooks: string) =>
      page.locator(`[data-service="${service}"]${hooks}`);
    // ~3.5 s into the demo: market-data has opened, its dependants are degraded, vanity-wallet is open.
    await card('market-data', '[data-state="open"]').waitFor({ timeout: 15_000 });
    await card('contest-evaluation', '[data-status="degraded"]').waitFor({ timeout: 5_000 });
    await card('vanity-wallet', '[data-status="failed"]').waitFor({ timeout: 5_000 });
    await shoot(page, 'dashboard-services.png');

    await tab(page, 'Dependencies');
    // Pointing at market-data lights up the services it degrades.
    await page
      .locator('[data-service="market-data"][data-health="failed"]')
      .hover({ timeout: 5_000 });
    await shoot(page, 'dashboard-dependencies.png');

    // After its second failed trial (~7.7 s): open, trial, reopen, trial, reopen in its history.
    await transitions;
    await tab(page, 'Services');
    await card('market-data', '').getByRole('button', { name: 'market-data', exact: true }).click();
    const timeline = page.getByRole('region', { name: 'Transitions' }).getByRole('listitem');
    await timeline.nth(4).waitFor({ timeout: 5_000 });
    // The panel scrolled to its end: the failure rate and latency charts, then the transitions.
    await page
      .getByRole('complementary', { name: 'Service detail' })
      .evaluate((panel) => panel.scrollTo(0, panel.scrollHeight));
    await shoot(page, 'dashboard-detail.png');
    await page.getByRole('button', { name: 'Close', exact: true }).click();

    // An admin resets vanity-wallet from its card, through the confirmation.
    await card('vanity-wallet', '').getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5_000 });

    await tab(page, 'Audit');
    const row = page.getByRole('row').filter({ hasText: 'vanity-wallet' });
    await row.filter({ hasText: 'reset' }).waitFor({ timeout: 5_000 });
    await shoot(page, 'dashboard-audit.png');
  } finally {
    await browser.close();
  }
}

/** Goes to one of the dashboard's views by its tab. */
async function tab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click({ timeout: 5_000 });
}

/** Resolves once `service`'s breaker has changed state `count` times. */
function untilTransitions(registry: Registry, service: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = registry.on('stateChange', (event) => {
      if (event.service !== service || ++seen < count) return;
      stop();
      resolve();
    });
  });
}

async function shoot(page: Page, file: string): Promise<void> {
  // The system's fonts (the dashboard loads none) are ready before the picture.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(imagesDir, file) });
  console.log(`docs/images/${file}`);
}

await main();
