import { Registry, type ServicesConfig } from '@breakwater/core';
import { dashboardRoot } from '@breakwater/dashboard';
import { createMonitor, type Monitor, type Role, signToken } from '@breakwater/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';

// A real monitor serving the built dashboard, on a free loopback port, with
// its real JWT authentication; and pages of that dashboard in Chromium, with
// everything that went wrong on them collected.

/** The HS256 secret of the test monitors (the monitor wants at least 32 characters). */
const testSecret = 'browser-tests-secret-not-for-production-use';
const env = { BREAKWATER_JWT_SECRET: testSecret };

/** The `sub` of the tokens `token(role)` signs: the audit log names the admin by it. */
export const subjects: Readonly<Record<Role, string>> = {
  admin: 'ada-admin',
  viewer: 'vic-viewer',
};

/**
 * A small fleet with a dependency: `payments` depends on `database`, so when
 * `database` fails `payments` is degraded.
 */
export const testServices: ServicesConfig = {
  database: { failureThreshold: 3, resetTimeout: 60_000, layer: 'data' },
  payments: { failureThreshold: 3, resetTimeout: 60_000, layer: 'api', dependsOn: ['database'] },
  search: { failureThreshold: 5, resetTimeout: 30_000, layer: 'api' },
};

export interface DashboardServer {
  readonly registry: Registry;
  /** `http://127.0.0.1:PORT/`: the dashboard. */
  readonly url: string;
  readonly port: number;
  /** A token for the monitor with this role (and `subjects[role]` as its `sub`). */
  token(role: Role): Promise<string>;
  /** `POST path` on the monitor with `token` as the Bearer token; rejects unless it answers 2xx. */
  post(path: string, token: string): Promise<unknown>;
  /** Stops the monitor (the registry stays): the dashboard loses its connection. */
  stop(): Promise<void>;
  /** Starts a new monitor for the same registry on the same port. */
  start(): Promise<void>;
  /** Stops the monitor and closes the registry. */
  close(): Promise<void>;
}

/**
 * Starts a monitor serving the dashboard at `/`, on a free port, for a new
 * registry of `services` or for a registry the test opened (a shared one).
 */
export async function startDashboardServer(
  services: ServicesConfig | Registry = testServices,
): Promise<DashboardServer> {
  const registry = services instanceof Registry ? services : new Registry({ services });
  const newMonitor = (): Monitor => createMonitor({ registry, env, dashboard: dashboardRoot });
  let monitor: Monitor | undefined = newMonitor();
  const { port } = await monitor.start({ port: 0 });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    await monitor?.stop();
    monitor = undefined;
  };
  return {
    registry,
    url,
    port,
    token: (role) => signToken({ sub: subjects[role], role, ttl: '10m' }, undefined, env),
    async post(path, token) {
      const response = await fetch(new URL(path, url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      const body: unknown = await response.json();
      if (!response.ok)
        throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(body)}`);
      return body;
    },
    stop,
    async start() {
      if (monitor !== undefined) throw new Error('the monitor is already running');
      monitor = newMonitor();
      await monitor.start({ port });
    },
    async close() {
      await stop();
      await registry.close();
    },
  };
}

export interface LoadedResponse {
  readonly url: string;
  readonly status: number;
  readonly contentType: string | undefined;
}

export interface DashboardPage {
  readonly page: Page;
  /** What went wrong on the page so far: console errors, uncaught errors, failed requests, HTTP errors. */
  readonly problems: readonly string[];
  /** Every HTTP response the page has had so far, in order (the document first). */
  readonly responses: readonly LoadedResponse[];
  /** Closes the page and its browser context (its storage with it). */
  close(): Promise<void>;
}

/**
 * Opens `url` in a new browser context (so no token or storage is left from
 * another test) at 1280×800, recording every problem on the page. Resolves
 * once the page has loaded.
 */
export async function openDashboard(browser: Browser, url: string): Promise<DashboardPage> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  const responses: LoadedResponse[] = [];
  page.on('response', (response) => {
    const status = response.status();
    if (status >= 400) problems.push(`HTTP ${status}: ${response.url()}`);
    const contentType = response.headers()['content-type'];
    responses.push({ url: response.url(), status, contentType });
  });
  await page.goto(url);
  return { page, problems, responses, close: () => context.close() };
}

/** The dashboard's address that signs in with `token` (the app takes it from the fragment). */
export function withToken(url: string, token: string): string {
  return `${url}#token=${encodeURIComponent(token)}`;
}

/** The card of one service, by the dashboard's `data-service` hook. */
export function serviceCard(page: Page, service: string, hooks: string = '') {
  return page.locator(`[data-service="${service}"]${hooks}`);
}
