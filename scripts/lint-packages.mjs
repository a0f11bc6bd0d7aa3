// `npm run lint:packages` (after `npm run build`): checks every public
// package as it would be published.
//
// - publint --strict: the exports map, `files` and the packed files agree.
// - attw (Are the types wrong?) with the esm-only profile: the types resolve
//   for `node16` ESM and `bundler` consumers, every subpath. The profile skips
//   `node10` (a resolution mode without exports maps, deprecated by TypeScript
//   and gone in TypeScript 7) and `node16` from CommonJS, which attw 0.18 (on
//   TypeScript 5.6) reports for every ES-module-only package: Node 20.19+
//   `require()`s ES modules and TypeScript 5.8+ compiles that under
//   `module: nodenext`; the pack-and-install test proves `require()` works.
// - The metadata a user sees: a README, version, description, license,
//   repository, keywords and engines, and no internal document numbers.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const internalReference = /\bseed 0\d\d\b|\bSPEC §/i;

const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((name) => join(root, 'packages', name))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

const failures = [];

for (const { dir, pkg } of packages) {
  const fail = (problem) => failures.push(`${pkg.name}: ${problem}`);
  if (!existsSync(join(dir, 'dist'))) {
    fail('no dist/ (run `npm run build` first)');
    continue;
  }
  for (const field of ['version', 'description', 'license', 'repository', 'keywords', 'engines']) {
    if (pkg[field] === undefined) fail(`package.json has no "${field}"`);
  }
  if (!existsSync(join(dir, 'README.md'))) fail('no README.md');
  if (!existsSync(join(dir, 'LICENSE'))) fail('no LICENSE');
  const readme = existsSync(join(dir, 'README.md'))
    ? readFileSync(join(dir, 'README.md'), 'utf8')
    : '';
  for (const [where, text] of [
    ['description', pkg.description ?? ''],
    ['README.md', readme],
  ]) {
    const found = internalReference.exec(text);
    if (found) fail(`${where} names an internal document ("${found[0]}"): say what it is instead`);
  }

  console.log(`\n── ${pkg.name}`);
  const run = (tool, args) => {
    const result = spawnSync(bin(tool), args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) fail(`${tool} found problems (exit ${result.status})`);
  };
  run('publint', [dir, '--strict']);
  run('attw', ['--pack', dir, '--profile', 'esm-only', '--format', 'table-flipped']);
}

if (failures.length > 0) {
  console.error(`\nlint:packages: ${failures.length} problem(s)\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`\nlint:packages: ${packages.length} packages, no problems`);
