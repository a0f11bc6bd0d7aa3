import { realpathSync, statSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ConfigError } from '@breakwater/core';
import type { Context, Env, Hono } from 'hono';
import { getMimeType } from 'hono/utils/mime';

/**
 * What a page of the dashboard may load: only its own files, its own API and
 * WebSocket stream. Inline styles are allowed because the chart and graph
 * libraries set element styles; inline scripts are not. No framing, so an
 * admin's buttons cannot be clicked through another site.
 */
export const dashboardContentSecurityPolicy =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " +
  "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Set on every file of the dashboard. The token travels in the URL's fragment, never sent; no referrer either. */
const securityHeaders = {
  'content-security-policy': dashboardContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Hashed by the build (a new name for new content): cached for good. Anything else is revalidated. */
const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'no-cache';

/**
 * The real path of a dashboard folder (symbolic links resolved), checked to
 * hold an `index.html`. Throws a `ConfigError` naming the folder otherwise,
 * so a monitor given an unbuilt dashboard fails before it starts.
 */
export function dashboardFolder(folder: string): string {
  const expected =
    "a folder holding the dashboard's index.html: run `npm run build` to build the dashboard";
  try {
    const root = realpathSync(folder);
    if (statSync(join(root, 'index.html')).isFile()) return root;
  } catch {
    // Missing folder or missing index.html: the same answer.
  }
  throw new ConfigError('dashboard', folder, expected);
}

/** Answers a request for a known path with a method it does not take (405 with `Allow`). */
export type MethodNotAllowedAnswer<E extends Env> = (
  c: Context<E>,
  allowed: string[],
) => Response | Promise<Response>;

/**
 * Serves the static files of `folder` (the dashboard's build) for GET and
 * HEAD: `/` is its index.html. Add after the API's routes, which keep
 * priority. Only regular files whose real path lies inside the folder are
 * served: `..` (plain or encoded), dot files, backslashes, empty segments and
 * symbolic links that lead out all answer the app's 404, as do folders (no
 * listings). Another method answers `notAllowed` for one of its files, and
 * the app's 404 for any other path.
 */
export function addDashboardRoutes<E extends Env>(
  app: Hono<E>,
  folder: string,
  notAllowed: MethodNotAllowedAnswer<E>,
): void {
  const root = dashboardFolder(folder);
  const fileOf = async (c: Context<E>) => {
    const relative = relativeFileOf(new URL(c.req.url).pathname);
    const file = relative === undefined ? undefined : await fileInside(root, relative);
    return file === undefined || relative === undefined ? undefined : { file, relative };
  };
  app.get('/*', async (c) => {
    const found = await fileOf(c);
    if (found === undefined) return c.notFound();
    return fileResponse(
      c,
      found.file,
      found.relative.startsWith('assets/') ? immutable : revalidate,
    );
  });
  app.all('/*', async (c) =>
    (await fileOf(c)) === undefined ? c.notFound() : notAllowed(c, ['GET', 'HEAD']),
  );
}

/** The file a URL path names, relative to the folder; undefined for anything that is not a plain file name. */
function relativeFileOf(pathname: string): string | undefined {
  if (pathname === '/') return 'index.html';
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined; // a malformed escape
    }
    if (segment === '' || segment.startsWith('.') || /[\\/\0:]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments.join('/');
}

/** The real path of `relative` under `root` when it is a regular file inside it. */
async function fileInside(root: string, relative: string): Promise<string | undefined> {
  try {
    const file = await realpath(join(root, relative));
    if (!file.startsWith(root + sep)) return undefined; // a symbolic link out of the folder
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

async function fileResponse(c: Context, file: string, cacheControl: string): Promise<Response> {
  const body = await readFile(file);
  return c.body(body, 200, {
    'content-type': getMimeType(file) ?? 'application/octet-stream',
    'content-length': String(body.byteLength),
    'cache-control': cacheControl,
    ...securityHeaders,
  });
}
