// Runs before `npm run demo` and the tests: builds the dashboard's static
// files (packages/dashboard/dist/site) when they are missing or older than
// its sources, so the monitor always serves the current app. About a second.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dashboardDir = fileURLToPath(new URL('../packages/dashboard/', import.meta.url));
const siteDir = join(dashboardDir, 'dist/site');
const builtIndex = join(siteDir, 'index.html');

/** Newest modification time under `path` (a file or a folder), in ms. */
function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** The inputs of the app's build: its sources, the client and protocol it bundles, its config. */
function newestInput() {
  const inputs = [
    join(dashboardDir, 'app'),
    join(dashboardDir, 'vite.config.ts'),
    join(dashboardDir, '../client/src'),
    join(dashboardDir, '../protocol/src'),
  ];
  return Math.max(...inputs.filter(existsSync).map(newestChange));
}

/**
 * Builds the dashboard when it is missing or stale; true when it is up to
 * date afterwards. It builds into a folder of its own and then swaps it in,
 * so a monitor started meanwhile (another test run, a demo) never finds the
 * site half-written or emptied.
 */
export function ensureDashboard({ quiet = false } = {}) {
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestInput()) return true;
  if (!quiet) console.log('breakwater: building the dashboard (packages/dashboard)…');
  const buildDir = `${siteDir}.building-${process.pid}`;
  const result = spawnSync(
    'npm',
    ['run', 'build:app', '--workspace', '@breakwater/dashboard', '--', '--outDir', buildDir],
    {
      stdio: quiet ? 'pipe' : 'inherit',
      // Under vitest NODE_ENV is `test`, and Vite would then bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) {
    if (quiet) process.stderr.write(result.stderr ?? '');
    rmSync(buildDir, { recursive: true, force: true });
    return false;
  }
  const oldDir = `${siteDir}.old-${process.pid}`;
  if (existsSync(siteDir)) renameSync(siteDir, oldDir);
  renameSync(buildDir, siteDir);
  rmSync(oldDir, { recursive: true, force: true });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(ensureDashboard() ? 0 : 1);
}
