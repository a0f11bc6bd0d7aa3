import { mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@breakwater/server';
import { LocalStore } from '@breakwater/store-local';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithTinyDisk, useTinyDisk } from '../../../tests/support/tiny-disk';
import { childEnv, runBreakwater, startBreakwater } from './support/breakwater-process';

const secret = 'a-store-problems-secret-of-32-characters';
const env = childEnv({ BREAKWATER_JWT_SECRET: secret });

const folder = mkdtempSync(join(tmpdir(), 'breakwater-store-problems-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A configuration file whose local store is `storeFile`. */
function configFor(storeFile: string): string {
  const file = join(mkdtempSync(join(folder, 'run-')), 'breakwater.yaml');
  writeFileSync(
    file,
    `services:\n  payments: { failureThreshold: 1 }\nstore: { type: local, path: ${JSON.stringify(storeFile)} }\n`,
  );
  return file;
}

/** A file of random bytes where a store should be. */
function notADatabase(): string {
  const file = join(mkdtempSync(join(folder, 'junk-')), 'state.db');
  writeFileSync(
    file,
    Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 7919) % 251)),
  );
  return file;
}

/** A Breakwater store with one of its pages overwritten. */
async function damagedStore(): Promise<string> {
  const file = join(mkdtempSync(join(folder, 'damaged-')), 'state.db');
  const store = await LocalStore.open(file);
  for (let n = 0; n < 100; n++) {
    await store.appendAudit({
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      actor: { id: 'alice', role: 'admin' },
      action: 'reset',
      target: `service-${n}`,
      before: 'x'.repeat(300),
      after: 'closed',
      outcome: 'ok',
    });
  }
  await store.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(2000, 0xff), 0, 2000, 4096 * 5 + 8);
  return file;
}

/** Runs a command that must refuse its store: exit 1, one line on stderr, nothing served. */
async function refusal(args: readonly string[]): Promise<string> {
  const exit = await runBreakwater(args, env);
  expect(exit.code, exit.stderr).toBe(1);
  expect(exit.stdout).not.toMatch(/listening on|http:\/\//);
  expect(exit.stderr).not.toMatch(/unexpected error|SqliteError|\n {4}at /);
  const lines = exit.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

const serve = (storeFile: string) => [
  'serve',
  '--config',
  configFor(storeFile),
  '--port',
  '0',
  '--no-dashboard',
];
const demo = (storeFile: string) => ['demo', '--store', storeFile, '--duration', '1'];

describe('a store file that is not a Breakwater store, or is damaged', () => {
  it.each([
    ['serve', serve],
    ['demo', demo],
  ])('%s prints one line naming the file and what to do, and exits 1', async (_, command) => {
    const junk = notADatabase();
    expect(await refusal(command(junk))).toBe(
      `breakwater: Cannot use '${junk}' as a Breakwater store: it is not an SQLite database (file is not a database); give the store a file of its own. The file was not modified.`,
    );
    const damaged = await damagedStore();
    expect(await refusal(command(damaged))).toMatch(
      new RegExp(
        `^breakwater: Cannot use '${damaged}' as a Breakwater store: it is corrupt \\(.*\\); restore it from a backup, or move it aside to start with an empty store\\. The file was not modified\\.$`,
      ),
    );
  });
});

const tinyDisk = useTinyDisk(1024 * 1024);

describeWithTinyDisk('a store file that cannot be written', () => {
  it.each([
    ['serve', serve],
    ['demo', demo],
  ])(
    '%s prints one line for a read-only disk and for a full one, and exits 1',
    async (_, command) => {
      const readOnly = tinyDisk();
      const file = readOnly.path('state.db');
      await (await LocalStore.open(file)).close();
      readOnly.readOnly();
      expect(await refusal(command(file))).toMatch(
        new RegExp(
          `^breakwater: LocalStore '${file}' is unavailable: .* failed: the file system is read-only \\(SQLITE_CANTOPEN, EROFS: .*\\); to fix: put the store on a writable disk, or remount this one read-write$`,
        ),
      );

      const full = tinyDisk();
      full.fill();
      expect(await refusal(command(full.path('state.db')))).toMatch(
        new RegExp(
          `^breakwater: LocalStore '${full.path('state.db')}' is unavailable: .* failed: the disk is full \\(SQLITE_FULL: .*\\); to fix: free space on the disk that holds the file .*\\. Nothing of it was written$`,
        ),
      );
    },
  );

  it('serve answers an admin action on a full disk with 503 naming the store, logs it as one JSON line, and the action is not there after a restart', async () => {
    const disk = tinyDisk();
    const file = disk.path('state.db');
    const config = configFor(file);
    const args = ['serve', '--config', config, '--port', '0', '--no-dashboard'];
    const admin = await signToken({ sub: 'alice', role: 'admin' }, undefined, {
      BREAKWATER_JWT_SECRET: secret,
    });
    const post = async (url: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      });
      return { status: response.status, body: (await response.json()) as { error?: unknown } };
    };

    const first = startBreakwater(args, env);
    const url = /listening on (http:\/\/\S+)/.exec(
      await first.until((out) => /listening on http:\/\/\S+\n/.test(out)),
    )?.[1];
    expect((await post(`${url}/api/circuit-breakers/payments/force-open`)).status).toBe(200);
    disk.fill();
    const refused = await post(`${url}/api/circuit-breakers/payments/release`);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({
      store: `LocalStore '${file}'`,
      message: expect.stringContaining('the disk is full'),
    });
    first.child.kill('SIGTERM');
    const exit = await first.exit;
    expect(exit.stderr).toBe('');
    const logged = exit.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .filter((line) => !line.startsWith('dashboard'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.filter((line) => line.level === 'error')).toContainEqual(
      expect.objectContaining({
        code: 'BW_STORE_UNAVAILABLE',
        msg: expect.stringMatching(
          /^LocalStore '.*' is unavailable: saving a breaker record failed: the disk is full/,
        ),
      }),
    );

    disk.free();
    const second = startBreakwater(args, env);
    const again = /listening on (http:\/\/\S+)/.exec(
      await second.until((out) => /listening on http:\/\/\S+\n/.test(out)),
    )?.[1];
    const state = await fetch(`${again}/api/circuit-breakers/payments`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(((await state.json()) as { state: string }).state).toBe('forced-open');
    const audit = await fetch(`${again}/api/audit`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const { entries } = (await audit.json()) as { entries: Array<{ action: string }> };
    expect(entries.map((entry) => entry.action)).toEqual(['force-open']);
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
  });
});
