/**
 * The dashboard with 200 services: how long the page takes to show one
 * `service:update` that changes all 200 of them, in Chromium.
 *
 * A monitor serves the built dashboard for a registry of 200 services; the
 * page is opened with an admin token (every card with its controls: the
 * heaviest page) and a viewer token. Each round changes every breaker in one
 * synchronous loop (force open, then reset, alternately), which the stream
 * sends as one update of 200 services; a last pass changes one service per
 * round, the floor any update pays. Times, in the page's clock:
 *
 * - frame → painted: from the WebSocket frame's arrival (a wrapper around the
 *   page's WebSocket, installed by this script) to the first task after the
 *   next paint: JSON parsing, the client's merge, React's render and commit,
 *   style, layout and paint;
 * - update → commit and update → painted: the app's own marks, from the
 *   client's `serviceUpdate` to React's commit of the cards
 *   (`bw:update-commit`) and to after the next paint (`bw:update-paint`).
 *
 *   npm run bench:dashboard
 *   env: DASHBOARD_ROUNDS (50), DASHBOARD_WARMUP (5), DASHBOARD_SERVICES (200)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Registry, type ServicesConfig } from '@breakwater/core';
import { dashboardRoot } from '@breakwater/dashboard';
import { createMonitor, type Role, signToken } from '@breakwater/server';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { ensureDashboard } from '../scripts/ensure-dashboard.mjs';
import { launchChromium } from '../tests/support/chromium';
import { integerSetting } from './env-setting';
import { percentile } from './nearest-rank';

const rounds = integerSetting('DASHBOARD_ROUNDS', 50);
const warmup = integerSetting('DASHBOARD_WARMUP', 5, true);
const serviceCount = integerSetting('DASHBOARD_SERVICES', 200);
const budgetMs = 50;
const viewport = { width: 1280, height: 800 };

const env = { BREAKWATER_JWT_SECRET: 'dashboard-render-bench-secret-at-least-32-chars' };

/** Ten groups of twenty: each group's services depend on its first, as a fleet's often do. */
function fleet(count: number): ServicesConfig {
  const services: Record<string, { dependsOn?: string[] }> = {};
  for (let index = 0; index < count; index++) {
    const root = `service-${String(index - (index % 20)).padStart(3, '0')}`;
    const name = `service-${String(index).padStart(3, '0')}`;
    services[name] = name === root ? {} : { dependsOn: [root] };
  }
  return services;
}

interface Timings {
  waiters: (() => void)[];
  commit: number[];
  paint: number[];
  frameToPaint: number[];
}

// Runs in the page before the app: wraps WebSocket so each frame's arrival is
// timed before the client sees it, and collects the app's measures. Plain
// JavaScript in a string: the page runs it as it is, untouched by tsx.
const instrumentPage = `
  const state = { lastFrame: 0, commit: [], paint: [], frameToPaint: [], waiters: [] };
  window.bwBench = state;
  const Native = window.WebSocket;
  const descriptor = Object.getOwnPropertyDescriptor(Native.prototype, 'onmessage');
  class TimedWebSocket extends Native {
    set onmessage(handler) {
      descriptor.set.call(this, handler && ((event) => {
        state.lastFrame = performance.now();
        handler.call(this, event);
      }));
    }
    get onmessage() {
      return descriptor.get.call(this);
    }
  }
  window.WebSocket = TimedWebSocket;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'bw:update-commit') state.commit.push(entry.duration);
      if (entry.name === 'bw:update-paint') {
        state.paint.push(entry.duration);
        state.frameToPaint.push(entry.startTime + entry.duration - state.lastFrame);
        for (const wake of state.waiters.splice(0)) wake();
      }
    }
  }).observe({ type: 'measure' });
`;

/**
 * One page signed in with `role`; each round changes the breakers of `changed`
 * (every service, or one for the floor: what any update costs).
 */
async function measure(
  browser: Browser,
  registry: Registry,
  url: string,
  role: Role,
  changed: readonly string[],
) {
  for (const name of registry.list()) registry.breaker(name).reset(); // every card closed to start
  const label = `${role}, ${changed.length === 1 ? 'one service changed' : `${changed.length} services changed`}`;
  const token = await signToken({ sub: `bench-${role}`, role, ttl: '1h' }, undefined, env);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(instrumentPage);
  await page.goto(`${url}/#token=${token}`);
  await page
    .locator('[data-service]')
    .nth(serviceCount - 1)
    .waitFor({ timeout: 30_000 });
  await page.locator('[data-connection="connected"]').waitFor();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  let before: Record<string, number> = {};
  for (let round = 0; round < warmup + rounds; round++) {
    if (round === warmup) before = await mainThread(cdp);
    const painted = await count(page);
    // The other state than now, for every breaker: each round changes all of them.
    const opened = registry.breaker(changed[0] ?? '').state !== 'forced-open';
    for (const name of changed) {
      const breaker = registry.breaker(name);
      if (opened) breaker.forceOpen();
      else breaker.reset();
    }
    const state = opened ? 'forced-open' : 'closed';
    // Waits inside the page for the paint, without polling (a poll would add
    // work to every frame); a string, so tsx leaves its helpers out of it.
    await page
      .evaluate(`new Promise((resolve, reject) => {
        const bench = window.bwBench;
        const check = () => {
          if (bench.paint.length > ${painted}) resolve();
          else bench.waiters.push(check);
        };
        check();
        setTimeout(() => reject(new Error('no paint within 10 s')), 10000);
      })`)
      .catch((error: unknown) => {
        throw new Error(`round ${round} (${label}): the page did not paint the update`, {
          cause: error,
        });
      });
    const shown = await page.locator(`[data-state="${state}"]`).count();
    const expected = state === 'closed' ? serviceCount : changed.length;
    if (shown !== expected) {
      throw new Error(`round ${round} (${label}): ${shown} cards show ${state}, not ${expected}`);
    }
    await sleep(100);
  }
  const after = await mainThread(cdp);
  const perRound = Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [
      name,
      ((seconds - (before[name] ?? 0)) * 1000) / rounds,
    ]),
  );
  const timings = await page.evaluate(() => (window as unknown as { bwBench: Timings }).bwBench);
  await context.close();
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
  // The first update is the connection's full state; then the warm-up rounds.
  const skip = (samples: number[]) => samples.slice(samples.length - rounds);
  return {
    role: label,
    perRound,
    commit: skip(timings.commit),
    paint: skip(timings.paint),
    frameToPaint: skip(timings.frameToPaint),
  };
}

/** The page's cumulative main-thread times (seconds): scripts, style, layout, every task. */
async function mainThread(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const wanted = ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'TaskDuration'];
  return Object.fromEntries(
    metrics
      .filter((metric) => wanted.includes(metric.name))
      .map((metric) => [metric.name, metric.value]),
  );
}

async function count(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { bwBench: Timings }).bwBench.paint.length);
}

if (!ensureDashboard({ quiet: true })) throw new Error('the dashboard did not build');
const registry = new Registry({ services: fleet(serviceCount) });
// No periodic full update during the rounds: each update is one of ours.
const monitor = createMonitor({
  registry,
  env,
  dashboard: dashboardRoot,
  updateInterval: 3_600_000,
});
const { url } = await monitor.start({ port: 0, host: '127.0.0.1' });
const browser = await launchChromium();
try {
  const load = loadavg()[0] ?? 0;
  const results = [];
  const every = registry.list();
  for (const role of ['admin', 'viewer'] as const) {
    results.push(await measure(browser, registry, url, role, every));
  }
  results.push(await measure(browser, registry, url, 'viewer', every.slice(-1)));
  const version = browser.version();
  const table = report(results, version, load);
  console.log(table);
  const folder = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${folder}dashboard-render.md`, table);
  console.log('\nwritten to bench/results/dashboard-render.md');
} finally {
  await browser.close();
  await monitor.stop();
  await registry.close();
}

function report(
  results: readonly Awaited<ReturnType<typeof measure>>[],
  chromiumVersion: string,
  load: number,
): string {
  const cpu = cpus();
  const row = (label: string, samples: readonly number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p95 = percentile(sorted, 0.95);
    const verdict = p95 <= budgetMs ? 'yes' : 'no';
    return `| ${label} | ${sorted.length} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} | ${verdict} |`;
  };
  return [
    `# Dashboard: rendering one update of ${serviceCount} services`,
    '',
    `- Date: ${new Date().toISOString()}; Node ${process.version}; Chromium ${chromiumVersion} (Debian, headless, no GPU); CPU: ${cpu[0]?.model.trim() ?? '?'} × ${cpu.length}; ${platform()} ${release()}; load average at the start ${load.toFixed(2)} (the machine is shared).`,
    `- A monitor (\`createMonitor\`, \`dashboard: dashboardRoot\`) serves the built dashboard for a registry of ${serviceCount} services in ten groups of twenty (each depends on its group's first). The page is ${viewport.width}×${viewport.height}, signed in as an admin (every card with its five controls) and then as a viewer.`,
    `- Each round changes every breaker in one synchronous loop (force open, then reset, alternately), which the stream sends as **one \`service:update\` of all ${serviceCount} services**; the round ends when the page has painted it and every card shows the new state. ${rounds} rounds timed after ${warmup} warm-up rounds, 100 ms apart. The last rows change one service per round instead: the floor any update pays (parsing, the frame's timing, the paint).`,
    "- frame → painted: from the WebSocket frame reaching the page (a wrapper the benchmark installs around the page's WebSocket) to the first task after the next paint (`requestAnimationFrame`, then a message task). update → commit / painted: the app's own marks, from the client's `serviceUpdate` event to React's commit of the cards and to the first task after the next paint.",
    `- p50/p95 are nearest-rank percentiles. Budget: ${budgetMs} ms from the message's arrival to the painted page at p95.`,
    '',
    '| ms | samples | p50 | p95 | max | p95 within budget |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...results.flatMap((result) => [
      row(`${result.role}: frame → painted`, result.frameToPaint),
      row(`${result.role}: update → commit`, result.commit),
      row(`${result.role}: update → painted`, result.paint),
    ]),
    '',
    "The page's main thread per round (ms, averaged over the timed rounds; Chromium's own counters, which include the rounds' idle ticking):",
    '',
    '| page | scripts | style | layout | every task |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...results.map(
      ({ role, perRound }) =>
        `| ${role} | ${[perRound.ScriptDuration, perRound.RecalcStyleDuration, perRound.LayoutDuration, perRound.TaskDuration].map((ms) => (ms ?? Number.NaN).toFixed(1)).join(' | ')} |`,
    ),
    '',
  ].join('\n');
}
