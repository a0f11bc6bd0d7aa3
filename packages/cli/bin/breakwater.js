#!/usr/bin/env node
// The `breakwater` command. Installed from npm it runs the compiled code in
// dist/. In the Breakwater repository (this file outside node_modules) it runs
// the TypeScript sources through tsx, a dev dependency there, so the command
// never lags behind an edit and needs no build.
import { fileURLToPath } from 'node:url';

const inCheckout = !fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules');

if (inCheckout) {
  const { register } = await import('node:module');
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Resolve @breakwater/* to their sources, as `--conditions=@breakwater/source` would.
  register(
    'data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:[...c.conditions,"@breakwater/source"]})}',
  );
  await import('../src/bin.ts');
} else {
  await import('../dist/bin.js');
}
