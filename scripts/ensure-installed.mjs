// Runs before `npm test` and `npm run demo`: on a fresh clone it installs the
// locked dependencies first, so each README command works on its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))) {
  console.log('breakwater: first run, installing dependencies with `npm ci`…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
