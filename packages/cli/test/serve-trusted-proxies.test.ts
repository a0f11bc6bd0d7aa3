import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@breakwater/server';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { fakeIo } from './support/fake-io';

const env = { BREAKWATER_JWT_SECRET: 'a-trusted-proxies-secret-of-32-characters' };
// `serve` reads the secret from the process's environment.
afterEach(() => {
  vi.unstubAllEnvs();
});

const folder = mkdtempSync(join(tmpdir(), 'breakwater-proxies-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A configuration file of one service in memory, without the dashboard, with `server` lines added. */
function configWith(server: string): string {
  const file = join(mkdtempSync(join(folder, 'run-')), 'breakwater.yaml');
  writeFileSync(
    file,
    `services:\n  db: {}\nstore: { type: memory }\nserver:\n  dashboard: false\n${server}`,
  );
  return file;
}

describe('breakwater serve with server.trustedProxies', () => {
  it('counts failed authentications per client behind the proxy', async () => {
    vi.stubEnv('BREAKWATER_JWT_SECRET', env.BREAKWATER_JWT_SECRET);
    const fake = fakeIo();
    const config = configWith('  authFailuresPerMinute: 1\n  trustedProxies: [127.0.0.1, "::1"]\n');
    const exit = runCli(['serve', '--config', config, '--port', '0'], fake.io);
    const started = await Promise.race([
      fake.stdoutMatches((stdout) => stdout.includes('listening on')).then(() => true),
      exit.then(() => false),
    ]);
    expect(started, fake.stderr()).toBe(true);
    const url = /listening on (\S+)/.exec(fake.stdout())?.[1];
    const good = await signToken({ sub: 'alice', role: 'viewer' }, undefined, env);
    const health = (token: string, client: string) =>
      fetch(`${url}/api/circuit-breakers/health`, {
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
      }).then((response) => response.status);
    try {
      expect(await health('not-a-token', '203.0.113.7')).toBe(401);
      expect(await health(good, '203.0.113.7')).toBe(429);
      expect(await health(good, '198.51.100.1')).toBe(200);
    } finally {
      fake.interrupt();
      expect(await exit).toBe(0);
    }
  });

  it('refuses to start on a bad entry, naming its path and value', async () => {
    vi.stubEnv('BREAKWATER_JWT_SECRET', env.BREAKWATER_JWT_SECRET);
    const fake = fakeIo();
    const config = configWith('  trustedProxies: [10.0.0.0/8, 10.0.0.0/99]\n');
    expect(await runCli(['serve', '--config', config, '--port', '0'], fake.io)).toBe(1);
    expect(fake.stderr()).toContain('server.trustedProxies[1]');
    expect(fake.stderr()).toContain('"10.0.0.0/99"');
    expect(fake.stdout()).not.toContain('listening');
  });
});
