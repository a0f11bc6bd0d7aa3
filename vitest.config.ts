import { defaultClientConditions, defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources: every workspace package's exports map
// offers them under this condition before `types`/`default` (the built dist/).
const source = '@breakwater/source';

export default defineConfig({
  resolve: { conditions: [source, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    // The built packages, installed from their tarballs: `npm run test:package`.
    exclude: [...configDefaults.exclude, 'tests/package/**'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 20_000,
    // Installs Debian's chromium when missing and builds the dashboard when stale (browser tests).
    globalSetup: ['tests/setup/browser-global-setup.ts'],
  },
});
