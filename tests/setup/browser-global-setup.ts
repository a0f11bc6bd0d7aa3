import type { TestProject } from 'vitest/node';
import { ensureDashboard } from '../../scripts/ensure-dashboard.mjs';
import { ensureChromium } from '../support/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the dashboard's static files could not be built; null when they are current. */
    dashboardBuildFailure: string | null;
  }
}

/**
 * Before any test file runs: Debian's chromium is installed (apt-get when it
 * is missing) and the dashboard's static files are built from the current
 * sources, so the browser tests always run, and run against the app as it
 * is. When both are there this costs a file check and a walk of the
 * dashboard's sources.
 *
 * A dashboard that does not build fails the browser tests (they read
 * `dashboardBuildFailure`), not the whole run: the other suites do not need it.
 */
export default function setup(project: TestProject): void {
  ensureChromium();
  project.provide(
    'dashboardBuildFailure',
    ensureDashboard()
      ? null
      : 'The dashboard did not build (npm run build:app --workspace @breakwater/dashboard): see its output above the test results',
  );
}
