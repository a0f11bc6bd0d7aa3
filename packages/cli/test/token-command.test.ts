import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator } from '@breakwater/server';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { fakeIo } from './support/fake-io';

const secret = 'a-token-command-secret-of-32-characters-at-least';
const env = { BREAKWATER_JWT_SECRET: secret };

const folder = mkdtempSync(join(tmpdir(), 'breakwater-token-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `breakwater <args>` in-process with the test's secret. */
async function breakwater(args: readonly string[]) {
  const fake = fakeIo({ env });
  const code = await runCli(args, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** `breakwater token --role admin --sub me <extra>`. */
const adminToken = (extra: readonly string[]) =>
  breakwater(['token', '--role', 'admin', '--sub', 'me', ...extra]);

/** Seconds from iat to exp of the printed token. */
function lifetimeOf(stdout: string): number {
  const { iat = 0, exp = 0 } = decodeJwt(stdout.trim());
  return exp - iat;
}

describe('breakwater token --expires-in', () => {
  it('expires after an hour by default, and the server accepts it', async () => {
    const exit = await breakwater(['token', '--role', 'viewer', '--sub', 'me']);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(lifetimeOf(exit.stdout)).toBe(3_600);
    await expect(
      createAuthenticator(undefined, env).verify(exit.stdout.trim()),
    ).resolves.toMatchObject({ sub: 'me' });
  });

  it('takes a lifetime, and --ttl as the same option', async () => {
    const twelveHours = await adminToken(['--expires-in', '12h']);
    expect(lifetimeOf(twelveHours.stdout)).toBe(12 * 3_600);
    const tenMinutes = await adminToken(['--ttl', '10m']);
    expect(lifetimeOf(tenMinutes.stdout)).toBe(600);
  });

  it('refuses a lifetime above the longest the server accepts, with exit code 2', async () => {
    const exit = await adminToken(['--expires-in', '2d']);
    expect(exit.code).toBe(2);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toContain(
      '--expires-in 2d is too long: at most 1 day, the longest lifetime the server accepts (auth.maxTokenLifetime)',
    );
  });

  it("follows the configuration's auth.maxTokenLifetime", async () => {
    const config = join(folder, 'breakwater.yaml');
    writeFileSync(config, 'services:\n  db: {}\nauth:\n  maxTokenLifetime: 1800000\n');
    const refused = await adminToken(['--config', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('at most 30 min');
    const accepted = await adminToken(['--config', config, '--expires-in', '30m']);
    expect(lifetimeOf(accepted.stdout)).toBe(1_800);
  });

  it('refuses --expires-in and --ttl together, and a lifetime it cannot read', async () => {
    const both = await adminToken(['--expires-in', '1h', '--ttl', '1h']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --expires-in or --ttl, not both');
    const never = await adminToken(['--expires-in', 'never']);
    expect(never.code).toBe(2);
    expect(never.stderr).toContain(
      "--expires-in must be a lifetime such as 3600, 30m, 1h or 12h, got 'never'",
    );
  });
});
