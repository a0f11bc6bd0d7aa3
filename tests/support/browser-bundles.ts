import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** What a browser app pulls in from one of our packages, and the most it may weigh. */
export interface BrowserBundle {
  readonly name: string;
  /** The entry module: what the app imports. Everything else must tree-shake away. */
  readonly entry: string;
  /** Most gzip bytes allowed: the size measured when set, plus about 10 %. */
  readonly gzipBudget: number;
  /** Packages that must not end up in the bundle (a validation library, say). */
  readonly forbidden?: readonly string[];
}

/** The browser bundles we keep small (sizes are in the README). */
export const browserBundles: readonly BrowserBundle[] = [
  {
    name: '@breakwater/core: CircuitBreaker alone',
    entry: "export { CircuitBreaker, isCircuitOpenError } from '@breakwater/core';",
    gzipBudget: 11_500, // 10,600 B measured (bounded durations, total status)
  },
  {
    name: '@breakwater/core: everything',
    entry: "export * from '@breakwater/core';",
    gzipBudget: 21_500, // 19,619 B measured (+ audit retention, Registry.remove cleanup, undo of unacknowledged actions, input excerpts)
  },
  {
    name: '@breakwater/protocol: main entry',
    entry: "export * from '@breakwater/protocol';",
    gzipBudget: 1_000, // 873 B measured
    forbidden: ['zod'],
  },
  {
    name: '@breakwater/client: CircuitBreakerMonitor',
    entry: "export { CircuitBreakerMonitor } from '@breakwater/client';",
    gzipBudget: 4_500, // 4,028 B measured
    forbidden: ['zod', 'ws'],
  },
];

export interface BundleResult {
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every module with code left in the bundle, as paths relative to `resolveDir`. */
  readonly inputs: readonly string[];
  /** Node built-ins something in the bundle imports, with the importer. */
  readonly builtins: readonly string[];
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Records every import of a Node built-in instead of letting the bundle fail at the first. */
function builtinRecorder(found: string[]): Plugin {
  return {
    name: 'node-builtins',
    setup(build) {
      build.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        if (!builtins.has(path) && !path.startsWith('node:')) return undefined;
        found.push(`${path} (imported by ${importer})`);
        return { path, external: true };
      });
    },
  };
}

/**
 * Bundles `bundle.entry` for browsers as an app's bundler would: minified,
 * tree-shaken, ES module output. Imports resolve from `resolveDir` with the
 * given extra export conditions (`@breakwater/source` for the sources).
 */
export async function bundleForBrowser(
  bundle: BrowserBundle,
  resolveDir: string,
  conditions: readonly string[] = [],
): Promise<BundleResult> {
  const found: string[] = [];
  const result = await build({
    stdin: { contents: bundle.entry, resolveDir, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    conditions: [...conditions, 'browser', 'module', 'import', 'default'],
    logLevel: 'silent',
    plugins: [builtinRecorder(found)],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const kept = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return {
    bytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    inputs: kept,
    builtins: found,
  };
}
