import { ensureDashboard } from '../../scripts/ensure-dashboard.mjs';
import { ensureChromium } from '../support/chromium';

/**
 * Before any test file runs: Debian's chromium is installed (apt-get when it
 * is missing) and the dashboard's static files are built from the current
 * sources, so the browser tests always run, and run against the app as it
 * is. When both are there this costs a file check and a walk of the
 * dashboard's sources.
 */
export default function setup(): void {
  ensureChromium();
  if (!ensureDashboard()) {
    throw new Error(
      'The dashboard did not build (npm run build:app --workspace @breakwater/dashboard): see its output above',
    );
  }
}
