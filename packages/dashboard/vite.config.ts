import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard app (app/) built to static files in dist/site, which the
 * monitor serves at `/`. Relative asset URLs, so the files work under any
 * path; everything is bundled (no CDN, no external font), so the dashboard
 * works on a machine without internet. The workspace packages resolve to
 * their TypeScript sources, so the app builds without building them first.
 * No source maps: they were three quarters of the package's tarball.
 */
export default defineConfig({
  root: 'app',
  base: './',
  plugins: [react()],
  resolve: { conditions: ['@breakwater/source'] },
  build: { outDir: '../dist/site', emptyOutDir: true, target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
