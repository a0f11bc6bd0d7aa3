import { randomBytes } from 'node:crypto';
import type { Registry } from '@breakwater/core';
import { dashboardRoot } from '@breakwater/dashboard';
import { createMonitor, defaultSecretEnv, type Role, signToken } from '@breakwater/server';
import type { DemoAttachment } from '../demo/run-demo';
import { scaled } from '../demo/time-scale';

export interface DemoMonitorOptions {
  readonly port: number;
  readonly host?: string;
  /** Where the secret is read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly write: (text: string) => void;
}

/** How long the links' tokens stay valid, hours: a working day of watching the demo. */
export const demoTokenHours = 12;

/**
 * Serves the monitor and the web dashboard on the demo's registry and prints
 * where it listens. Without BREAKWATER_JWT_SECRET in `env`, a random secret
 * is made for this run and printed once, with how to mint a token with it.
 * Resolves to the function that stops it and, as the demo's notice, two
 * dashboard links with a token in their fragment (admin, then viewer),
 * signed with the run's secret. When it cannot start it throws the server's
 * error, which says why (the CLI prints it and exits 1): an `AuthSetupError`
 * for a secret that is too short, a `ConfigError` for a dashboard that was
 * not built, a `MonitorStartError` for a port that is taken.
 */
export async function serveDemoMonitor(
  registry: Registry,
  options: DemoMonitorOptions,
): Promise<DemoAttachment> {
  const { port, host = '127.0.0.1', write } = options;
  let env = options.env;
  let generated: string | undefined;
  if (!env[defaultSecretEnv]) {
    generated = randomBytes(32).toString('base64url');
    env = { ...env, [defaultSecretEnv]: generated };
  }
  const monitor = createMonitor({
    registry,
    env,
    dashboard: dashboardRoot,
    // The dashboard's charts sample at demo speed: every 5 s of the time the demo stands for.
    history: { interval: scaled(5_000) },
  });
  let links: readonly string[];
  try {
    const { url } = await monitor.start({ port, host });
    if (generated !== undefined) {
      write(
        `${defaultSecretEnv} is not set: this run's secret is ${generated}\n` +
          `Mint a token with: ${defaultSecretEnv}=${generated} npx breakwater token --role viewer --sub me\n`,
      );
    }
    write(`listening on ${url}\n`);
    const link = async (role: Role) =>
      `${url}/#token=${await signToken({ sub: `demo-${role}`, role, ttl: `${demoTokenHours}h` }, undefined, env)}`;
    links = [
      `Open the dashboard (admin: reset, force open, disable): ${await link('admin')}`,
      `Read-only link to share (viewer):                      ${await link('viewer')}`,
      `Open a link in a browser; its token is valid for ${demoTokenHours} hours and stays in the browser.`,
    ];
  } catch (error) {
    await monitor.stop();
    throw error;
  }
  return { stop: () => monitor.stop(), notice: links };
}
