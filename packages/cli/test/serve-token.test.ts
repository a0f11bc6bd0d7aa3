import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardRoot } from '@breakwater/dashboard';
import { createAuthenticator } from '@breakwater/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type Exit, repoRoot, runNode } from './support/run-node';

const bin = ['--conditions=@breakwater/source', '--import', 'tsx', 'packages/cli/src/bin.ts'];
const secret = 'a-test-secret-of-at-least-32-characters';

const folder = mkdtempSync(join(tmpdir(), 'breakwater-serve-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let folders = 0;
/** A new folder under the test's temporary one. */
function newFolder(): string {
  return mkdtempSync(join(folder, `run-${++folders}-`));
}

/** The environment of a child: no secrets of the outer one, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const name of ['BREAKWATER_JWT_SECRET', 'TRADING_API_JWT_SECRET', 'BREAKWATER_DEMO_PORT']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Runs `breakwater <args>` at the repo root; `onStdout` sees the output so far and the child. */
function breakwater(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onStdout?: Parameters<typeof runNode>[2],
): Promise<Exit> {
  return runNode([...bin, ...args], env, onStdout);
}

/** examples/trading-api.yaml copied into a new folder, so its store file lands there. */
function tradingApiConfig(): string {
  const file = join(newFolder(), 'trading-api.yaml');
  copyFileSync(join(repoRoot, 'examples/trading-api.yaml'), file);
  return file;
}

const listening = /^listening on (http:\/\/\S+)\n/m;

describe('breakwater serve', () => {
  it('serves the configuration on --port 0 until SIGTERM, then exits 0', async () => {
    const config = tradingApiConfig();
    let health: Promise<Response> | undefined;
    const exit = await breakwater(
      ['serve', '--config', config, '--port', '0'],
      envWith({ TRADING_API_JWT_SECRET: secret }),
      (stdout, child) => {
        const url = listening.exec(stdout)?.[1];
        if (url === undefined || health !== undefined) return;
        health = fetch(`${url}/api/health/circuit-breaker`);
        health.finally(() => child.kill('SIGTERM')).catch(() => {});
      },
    );
    expect(health).toBeDefined();
    const response = await (health as Promise<Response>);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; stats: { total: number } };
    expect(body.status).toBe('healthy');
    expect(body.stats.total).toBe(6);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout.match(/listening on/g)).toHaveLength(1);
    // Its first lines; JSON log lines may follow.
    expect(exit.stdout).toMatch(/^listening on (http:\/\/127\.0\.0\.1:\d+)\ndashboard: \1\/\n/);
    expect(existsSync(join(config, '..', 'trading-api.db'))).toBe(true);
  });

  it('serves the web dashboard at / and prints its address', async () => {
    const config = tradingApiConfig();
    let pages: Promise<Response[]> | undefined;
    const exit = await breakwater(
      ['serve', '--config', config, '--port', '0'],
      envWith({ TRADING_API_JWT_SECRET: secret }),
      (stdout, child) => {
        const url = /^dashboard: (http:\/\/\S+\/)\n/m.exec(stdout)?.[1];
        if (url === undefined || pages !== undefined) return;
        pages = (async () => {
          const index = await fetch(url);
          const html = await index.clone().text();
          const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1] ?? 'no-script';
          return [index, await fetch(`${url}${script}`)];
        })();
        pages.finally(() => child.kill('SIGTERM')).catch(() => {});
      },
    );
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const [index, script] = await (pages as Promise<Response[]>);
    expect(index?.status).toBe(200);
    expect(await index?.text()).toBe(readFileSync(`${dashboardRoot}index.html`, 'utf8'));
    expect(index?.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(script?.status).toBe(200);
    expect(script?.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    ['--no-dashboard', ['--no-dashboard'], ''],
    ['server.dashboard: false', [], 'server:\n  dashboard: false\n'],
  ])('serves the API only with %s: / answers 404', async (_, flags, section) => {
    const config = join(newFolder(), 'api-only.yaml');
    writeFileSync(config, `services:\n  api: {}\nstore: { type: memory }\n${section}`);
    let root: Promise<Response> | undefined;
    const exit = await breakwater(
      ['serve', '--config', config, '--port', '0', ...flags],
      envWith({ BREAKWATER_JWT_SECRET: secret }),
      (stdout, child) => {
        const url = listening.exec(stdout)?.[1];
        if (url === undefined || root !== undefined) return;
        root = fetch(`${url}/`);
        root.finally(() => child.kill('SIGTERM')).catch(() => {});
      },
    );
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect((await (root as Promise<Response>)).status).toBe(404);
    expect(exit.stdout).not.toContain('dashboard:');
  });

  it('exits 1 naming the file of a bad configuration, before anything listens', async () => {
    const config = join(newFolder(), 'bad.yaml');
    writeFileSync(config, 'services:\n  api:\n    failureThreshold: -3\n');
    const exit = await breakwater(
      ['serve', '--config', config, '--port', '0'],
      envWith({ BREAKWATER_JWT_SECRET: secret }),
    );
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(config);
    expect(exit.stderr).toContain('failureThreshold');
    expect(exit.stdout).not.toContain('listening');
  });

  it('exits 1 naming BREAKWATER_JWT_SECRET when the secret is missing', async () => {
    const config = join(newFolder(), 'minimal.yaml');
    writeFileSync(config, 'services:\n  api:\n    failureThreshold: 3\n');
    const exit = await breakwater(['serve', '--config', config, '--port', '0'], envWith({}));
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('BREAKWATER_JWT_SECRET');
    expect(exit.stdout).not.toContain('listening');
  });

  it('exits 1 naming a taken port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const exit = await breakwater(
        ['serve', '--config', tradingApiConfig(), '--port', String(port)],
        envWith({ TRADING_API_JWT_SECRET: secret }),
      );
      expect(exit.code).toBe(1);
      expect(exit.stderr).toBe(
        `breakwater: The monitor cannot start: port ${port} on 127.0.0.1 is already in use\n`,
      );
      expect(exit.stdout).not.toContain('listening');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('rejects a missing --config with exit code 2', async () => {
    const exit = await breakwater(['serve', '--port', '0'], envWith({}));
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('missing --config');
  });
});

describe('breakwater token', () => {
  it('prints a token the server verifies, with its sub and role', async () => {
    const exit = await breakwater(
      ['token', '--role', 'admin', '--sub', 'alice', '--ttl', '10m'],
      envWith({ BREAKWATER_JWT_SECRET: secret }),
    );
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const token = exit.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const authenticator = createAuthenticator(undefined, { BREAKWATER_JWT_SECRET: secret });
    await expect(authenticator.verify(token)).resolves.toMatchObject({
      sub: 'alice',
      role: 'admin',
    });
  });

  it("signs with the secret named by a configuration's auth.jwtSecretEnv", async () => {
    const exit = await breakwater(
      ['token', '--role', 'viewer', '--sub', 'bob', '--config', tradingApiConfig()],
      envWith({ TRADING_API_JWT_SECRET: secret }),
    );
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const authenticator = createAuthenticator(
      { algorithm: 'HS256', jwtSecretEnv: 'TRADING_API_JWT_SECRET' },
      { TRADING_API_JWT_SECRET: secret },
    );
    await expect(authenticator.verify(exit.stdout.trim())).resolves.toMatchObject({
      sub: 'bob',
      role: 'viewer',
    });
  });

  it('rejects --role root with exit code 2', async () => {
    const exit = await breakwater(
      ['token', '--role', 'root', '--sub', 'alice'],
      envWith({ BREAKWATER_JWT_SECRET: secret }),
    );
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("--role must be admin or viewer, got 'root'");
    expect(exit.stdout).toBe('');
  });

  it('rejects a missing --sub with exit code 2', async () => {
    const exit = await breakwater(
      ['token', '--role', 'viewer'],
      envWith({ BREAKWATER_JWT_SECRET: secret }),
    );
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('missing --sub');
  });

  it('exits 1 naming the variable when the secret is missing', async () => {
    const exit = await breakwater(['token', '--role', 'viewer', '--sub', 'me'], envWith({}));
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('BREAKWATER_JWT_SECRET');
    expect(exit.stdout).toBe('');
  });
});

describe('breakwater demo --port', () => {
  it('serves the monitor beside the demo with a secret made for the run, and stops it', async () => {
    const store = join(newFolder(), 'demo.db');
    const exit = await breakwater(
      ['demo', '--duration', '0.5', '--store', store, '--port', '0'],
      envWith({}),
    );
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toContain('BREAKWATER_JWT_SECRET is not set');
    expect(exit.stdout).toContain('npx breakwater token --role viewer --sub me');
    expect(exit.stdout.match(/listening on http:\/\/127\.0\.0\.1:\d+\n/g)).toHaveLength(1);
    expect(exit.stdout).toContain('demo over after 0.5s');
  });
});
