import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

// `npm run test:package`: the pack-and-install test alone, after a build. Not
// part of `npm test`, which runs on the sources and never needs a build.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/package/**/*.test.ts'],
    exclude: [],
    outputFile: { json: 'test-results/package.json' },
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
