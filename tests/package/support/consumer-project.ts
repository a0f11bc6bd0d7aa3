import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly exports: Record<string, unknown>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** An empty project outside the repository with every public package installed from its tarball. */
export interface ConsumerProject {
  /** The project folder, under the OS temp directory. */
  readonly dir: string;
  /** Its parent: tarballs and project, removed at the end. */
  readonly root: string;
  /** Every import specifier the packages export, e.g. `@breakwater/core/testing`. */
  readonly specifiers: readonly string[];
  /** How the SQLite addon got there. */
  readonly sqlite: string;
  /** Seconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * The environment for npm and node in the project: no `npm_*` variables of
 * the `npm run` that started the tests (they name this workspace), except
 * where the npm cache and registry are.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') || kept.has(name.toLowerCase())) env[name] = value;
  }
  delete env.NODE_OPTIONS;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function timed<T>(timings: Record<string, number>, step: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    timings[step] = Math.round(performance.now() - start) / 1000;
  }
}

/**
 * Packs every public workspace package (built beforehand: `npm run build`)
 * and installs the tarballs into a new project under the OS temp directory,
 * as a user would. Third-party packages come from the npm cache that the
 * repository's `npm ci` filled (`--prefer-offline`: only package metadata
 * the cache lacks is fetched). Install scripts are skipped: the one that
 * matters, better-sqlite3's, would compile the addon from source (~85 s), so
 * the repository's compiled addon is copied in when the versions match.
 */
export function installPackages(): ConsumerProject {
  const timings: Record<string, number> = {};
  const packages = readdirSync(join(repoRoot, 'packages'))
    .sort()
    .map((name) => join(repoRoot, 'packages', name))
    .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }))
    .filter(({ pkg }) => !pkg.private);
  for (const { dir, pkg } of packages) {
    if (!existsSync(join(dir, 'dist'))) {
      throw new Error(`${pkg.name} is not built: run \`npm run build\` first`);
    }
  }

  const root = mkdtempSync(join(tmpdir(), 'breakwater-packages-'));
  const tarballs = join(root, 'tarballs');
  const dir = join(root, 'app');
  mkdirSync(tarballs);
  mkdirSync(dir);

  const packed = timed(timings, 'pack', () =>
    JSON.parse(
      run('npm', ['pack', '--workspaces', '--json', '--pack-destination', tarballs], repoRoot),
    ),
  ) as { name: string; filename: string }[];

  const rootPackage = readJson(join(repoRoot, 'package.json'));
  const middleware = readJson(join(repoRoot, 'packages/middleware/package.json'));
  const typesOnly = (name: string, range: string | undefined): [string, string] => {
    if (range === undefined) throw new Error(`no version range for ${name}`);
    return [name, range];
  };
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'breakwater-consumer',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(
          packed.map(({ name, filename }) => [name, `file:${join(tarballs, filename)}`]),
        ),
        // What a TypeScript user of the Node and framework adapters has installed anyway.
        devDependencies: Object.fromEntries([
          typesOnly('@types/node', rootPackage.devDependencies?.['@types/node']),
          typesOnly('@types/express', middleware.peerDependencies?.['@types/express']),
          typesOnly('fastify', middleware.peerDependencies?.fastify),
        ]),
      },
      null,
      2,
    )}\n`,
  );
  timed(timings, 'install', () =>
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      dir,
    ),
  );

  const sqlite = timed(timings, 'sqlite addon', () => reuseSqliteAddon(dir));

  const specifiers = packed.flatMap(({ name }) => {
    const installed = readJson(join(dir, 'node_modules', name, 'package.json'));
    return Object.keys(installed.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
  });
  return { dir, root, specifiers, sqlite, timings };
}

/** Puts a compiled better-sqlite3 addon into the project. */
function reuseSqliteAddon(dir: string): string {
  const addon = join('build', 'Release', 'better_sqlite3.node');
  const ours = join(repoRoot, 'node_modules', 'better-sqlite3');
  const theirs = join(dir, 'node_modules', 'better-sqlite3');
  const same =
    existsSync(join(ours, addon)) &&
    readJson(join(ours, 'package.json')).version === readJson(join(theirs, 'package.json')).version;
  if (same) {
    mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
    copyFileSync(join(ours, addon), join(theirs, addon));
    return "copied the repository's compiled addon (same better-sqlite3 version)";
  }
  run('npm', ['rebuild', 'better-sqlite3'], dir);
  return 'compiled from source (the repository has no addon of the same version)';
}
