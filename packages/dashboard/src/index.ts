import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the dashboard's built static files (index.html and its
 * assets), for a server to serve at `/`. The same path from the sources and
 * from the installed package: both sit one folder below the package root.
 */
export const dashboardRoot: string = fileURLToPath(new URL('../dist/site/', import.meta.url));

/** True when the static files have been built (`npm run build`). */
export function isDashboardBuilt(): boolean {
  return existsSync(`${dashboardRoot}index.html`);
}
