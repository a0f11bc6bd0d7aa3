import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { launchChromium } from './chromium';
import {
  type DashboardPage,
  type DashboardServer,
  openDashboard,
  startDashboardServer,
  withToken,
} from './dashboard-page';

export interface BrowserSession {
  /** The current test's monitor serving the dashboard: a new one for every test. */
  readonly server: DashboardServer;
  /** A fresh page (its own browser context) at `url`, closed after the test. */
  openUrl(url: string): Promise<DashboardPage>;
  /** A fresh page on the dashboard, signed in with a token of `role`. */
  open(role: 'admin' | 'viewer'): Promise<DashboardPage>;
}

/**
 * The lifecycle every browser test file shares, registered in the file that
 * calls it: one Chromium for the file, a new monitor for each test, and the
 * pages a test opened closed after it — what went wrong on them printed
 * first when it failed, since a failed wait names only its locator.
 */
export function useBrowserSession(): BrowserSession {
  let browser: Browser | undefined;
  let server: DashboardServer | undefined;
  let opened: DashboardPage[] = [];

  beforeAll(async () => {
    const buildFailure = inject('dashboardBuildFailure');
    if (buildFailure !== null) throw new Error(buildFailure);
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    server = await startDashboardServer();
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      for (const { problems } of opened)
        if (problems.length > 0) console.error(problems.join('\n'));
    }
    await Promise.all(opened.map((entry) => entry.close()));
    opened = [];
    await server?.close();
    server = undefined;
  });

  const session: BrowserSession = {
    get server() {
      if (server === undefined) throw new Error('The dashboard server runs only during a test');
      return server;
    },
    async openUrl(url) {
      if (browser === undefined) throw new Error('Chromium was not launched');
      const entry = await openDashboard(browser, url);
      opened.push(entry);
      return entry;
    },
    async open(role) {
      return session.openUrl(withToken(session.server.url, await session.server.token(role)));
    },
  };
  return session;
}
