import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserBundles, bundleForBrowser } from '../support/browser-bundles';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// From the sources, on every `npm test`; `npm run test:package` checks the
// built packages the same way once installed.
describe.each(browserBundles)('the browser bundle of $name', (bundle) => {
  it(`stays within ${bundle.gzipBudget} bytes gzipped, with no Node built-in`, async () => {
    const result = await bundleForBrowser(bundle, repoRoot, ['@breakwater/source']);
    console.log(`${bundle.name}: ${result.bytes} B minified, ${result.gzipBytes} B gzipped`);
    expect(result.builtins).toEqual([]);
    for (const name of bundle.forbidden ?? []) {
      expect(result.inputs.filter((input) => input.includes(`node_modules/${name}/`))).toEqual([]);
    }
    expect(result.gzipBytes).toBeLessThanOrEqual(bundle.gzipBudget);
  });
});
