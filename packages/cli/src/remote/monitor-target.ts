import { UsageError } from '../cli/usage-error';

/** The default monitor address: `breakwater serve` on this machine with the default port. */
export const defaultMonitorUrl = 'http://127.0.0.1:8080';

/** Where a command finds the monitor, and the token it sends. */
export interface MonitorTarget {
  /** The monitor's base URL (its path, if any, ends with `/`). */
  readonly base: URL;
  /** The base URL as messages show it: without user name, password, query or fragment. */
  readonly shown: string;
  /** The bearer token, if any. Never printed. */
  readonly token: string | undefined;
}

/** The `--url` and `--token` of a command, before the environment's defaults. */
export interface TargetFlags {
  readonly url?: string | undefined;
  readonly token?: string | undefined;
}

/**
 * The monitor a command talks to: `--url`, else `BREAKWATER_URL`, else
 * {@link defaultMonitorUrl}; the token from `--token`, else
 * `BREAKWATER_TOKEN`. Throws a {@link UsageError} naming where a URL that is
 * not http(s) came from.
 */
export function monitorTarget(
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>>,
): MonitorTarget {
  const fromFlag = nonEmpty(flags.url);
  const fromEnv = nonEmpty(env.BREAKWATER_URL);
  const text = fromFlag ?? fromEnv ?? defaultMonitorUrl;
  const source = fromFlag !== undefined ? '--url' : 'BREAKWATER_URL';
  const notHttp = () =>
    new UsageError(
      `${source} must be an http:// or https:// URL such as ${defaultMonitorUrl}, got '${text}'`,
    );
  let base: URL;
  try {
    base = new URL(text);
  } catch {
    throw notHttp();
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw notHttp();
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return {
    base,
    shown: shownUrl(base),
    token: nonEmpty(flags.token) ?? nonEmpty(env.BREAKWATER_TOKEN),
  };
}

/** The URL of a monitor route, e.g. `api/circuit-breakers/health`, under the base (kept for a monitor behind a path prefix). */
export function routeUrl(
  target: MonitorTarget,
  route: string,
  query: Record<string, string | undefined> = {},
): URL {
  const url = new URL(route, target.base);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url;
}

/** A URL without its credentials, query or fragment, and without a trailing `/` on a bare host. */
function shownUrl(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
