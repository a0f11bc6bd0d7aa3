/**
 * `npm run build`: every public workspace package built to dist/ by tsdown
 * (rolldown): ES modules, declarations from TypeScript 7's native compiler,
 * and source maps for both.
 *
 * Not plain per-file compilation: the sources import each other without
 * extensions ('../clock/clock'), which Node's ESM loader cannot resolve, and
 * tsc does not add them. tsdown resolves every import: each package becomes
 * one file per export subpath, code shared between subpaths in chunks.
 *
 * Each package's entries come from its exports map: the `@breakwater/source`
 * target is the input and the `default` target names the output, so
 * package.json stays the one list of what a package exports. Dependencies
 * (ours and third-party) stay imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig, type UserConfig } from 'tsdown';

interface PackageJson {
  readonly name: string;
  readonly private?: boolean;
  readonly exports: Record<string, string | Record<string, string>>;
}

/**
 * Packages that also run in browsers: built for a neutral platform, their
 * code split into one chunk per source folder (breaker, errors, policies,
 * registry, …), so an app's bundler drops whole chunks the app does not use
 * (the packages are `sideEffects: false`). Measured for the breaker alone in
 * an esbuild bundle, gzipped, and for `import('@breakwater/core')` in Node
 * over a bare start: one file 11.8 kB (top-level error classes and presets a
 * bundler cannot prove unused stay in) and ~+30 ms; one file per module
 * 10.1 kB and ~+90 ms (65 files to load); a chunk per folder 10.4 kB and
 * ~+40 ms.
 */
const browserFacing = new Set(['@breakwater/core', '@breakwater/protocol', '@breakwater/client']);

// Declarations come from TypeScript 7's native compiler (tsdown's `tsgo` mode):
// the typescript package ships it as a binary and no longer has a JS API.
const require = createRequire(import.meta.url);
const typescriptDir = dirname(require.resolve('typescript/package.json'));
const getExePath: () => string = (
  await import(pathToFileURL(join(typescriptDir, 'lib/getExePath.js')).href)
).default;
const tsc = getExePath();

/**
 * Groups a browser-facing package's modules into one chunk per source
 * folder, `main` for files directly in src/. Entry modules stay out, so each
 * entry file only re-exports (a chunk that other chunks import from would
 * export their internals too); declarations keep tsdown's own chunks.
 */
function chunkPerFolder(dir: string, entries: readonly string[]): (id: string) => string | null {
  const entryFiles = new Set(entries.map((entry) => join(dir, entry)));
  return (id) => {
    if (id.endsWith('.d.ts') || entryFiles.has(id) || !id.startsWith(join(dir, 'src/'))) {
      return null;
    }
    return /\/src\/([^/]+)\//.exec(id)?.[1] ?? 'main';
  };
}

function buildOf(dir: string): UserConfig | undefined {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  if (pkg.private) return undefined;
  const entry: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const source = target['@breakwater/source'];
    const output = target.default;
    if (source === undefined || output === undefined) {
      throw new Error(`${pkg.name}: export '${subpath}' needs '@breakwater/source' and 'default'`);
    }
    entry[basename(output, '.js')] = source;
  }
  const cli = pkg.name === '@breakwater/cli';
  if (cli) entry.bin = './src/bin.ts';
  return {
    name: pkg.name,
    cwd: dir,
    entry,
    // Browser-facing packages: one chunk per source folder (see browserFacing).
    outputOptions: browserFacing.has(pkg.name)
      ? {
          codeSplitting: {
            includeDependenciesRecursively: false,
            groups: [{ name: chunkPerFolder(dir, Object.values(entry)) }],
          },
        }
      : undefined,
    format: 'esm',
    platform: browserFacing.has(pkg.name) ? 'neutral' : 'node',
    target: 'es2022',
    fixedExtension: false,
    sourcemap: true,
    tsconfig: 'tsconfig.build.json',
    dts: { tsgo: { path: tsc }, sourcemap: true },
    // The demo's default configuration ships with the command.
    copy: cli ? [{ from: '../../examples/degenduel.yaml', to: 'dist/examples' }] : undefined,
    logLevel: 'warn',
    checks: { pluginTimings: false },
  };
}

const packagesDir = join(import.meta.dirname, 'packages');
export default defineConfig(
  readdirSync(packagesDir)
    .sort()
    .map((name) => buildOf(join(packagesDir, name)))
    .filter((build) => build !== undefined),
);
