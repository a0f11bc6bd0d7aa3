import { randomBytes } from 'node:crypto';
import type { Registry } from '@breakwater/core';
import { createMonitor, defaultSecretEnv } from '@breakwater/server';

export interface DemoMonitorOptions {
  readonly port: number;
  readonly host?: string;
  /** Where the secret is read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly write: (text: string) => void;
}

/**
 * Serves the monitor on the demo's registry and prints where. Without
 * BREAKWATER_JWT_SECRET in `env`, a random secret is made for this run and
 * printed once, with how to mint a token with it. Resolves to the function
 * that stops it. When it cannot start it throws the server's error, which
 * says why (the CLI prints it and exits 1): an `AuthSetupError` for a secret
 * that is too short, a `MonitorStartError` for a port that is taken.
 */
export async function serveDemoMonitor(
  registry: Registry,
  options: DemoMonitorOptions,
): Promise<() => Promise<void>> {
  const { port, host = '127.0.0.1', write } = options;
  let env = options.env;
  let generated: string | undefined;
  if (!env[defaultSecretEnv]) {
    generated = randomBytes(32).toString('base64url');
    env = { ...env, [defaultSecretEnv]: generated };
  }
  const monitor = createMonitor({ registry, env });
  try {
    const { url } = await monitor.start({ port, host });
    if (generated !== undefined) {
      write(
        `${defaultSecretEnv} is not set: this run's secret is ${generated}\n` +
          `Mint a token with: ${defaultSecretEnv}=${generated} npx breakwater token --role viewer --sub me\n`,
      );
    }
    write(`listening on ${url}\n`);
  } catch (error) {
    await monitor.stop();
    throw error;
  }
  return () => monitor.stop();
}
