import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '@breakwater/server';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BreakwaterProcess,
  childEnv,
  runBreakwater,
  startBreakwater,
} from './support/breakwater-process';
import { closedPortUrl } from './support/monitor-fixture';

const secret = 'a-serve-log-secret-that-is-32-characters-long';
const env = { BREAKWATER_JWT_SECRET: secret };

const folder = mkdtempSync(join(tmpdir(), 'breakwater-serve-log-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A configuration of two services in memory that alerts after 1 s out of service. */
function config(): string {
  const file = join(mkdtempSync(join(folder, 'run-')), 'breakwater.yaml');
  writeFileSync(
    file,
    [
      'services:',
      '  payments: { failureThreshold: 1 }',
      '  checkout: { dependsOn: [payments] }',
      'store: { type: memory }',
      'alerts: { log: true, openLongerThan: 1000 }',
      '',
    ].join('\n'),
  );
  return file;
}

/** Starts `breakwater serve` on a free port; resolves once it listens. */
async function serve(extraEnv: Record<string, string> = {}) {
  const process = startBreakwater(
    ['serve', '--config', config(), '--port', '0'],
    childEnv({ ...env, ...extraEnv }),
  );
  const stdout = await process.until((out) => /^listening on http:\/\/\S+\n/.test(out));
  const url = /^listening on (http:\/\/\S+)\n/.exec(stdout)?.[1] ?? '';
  return { process, url };
}

async function post(url: string, token: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Every JSON log line after `listening on` and `dashboard:`, parsed. */
function logLines(stdout: string): Record<string, unknown>[] {
  const [first, second, ...rest] = stdout.trimEnd().split('\n');
  expect(first).toMatch(/^listening on http:/);
  expect(second).toMatch(/^dashboard: http:\/\/\S+\/$/);
  return rest.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('breakwater serve logs', () => {
  it('logs every transition as one JSON line (breaker, from, to, reason, time) and never a secret', async () => {
    const admin = await signToken({ sub: 'alice', role: 'admin' }, undefined, env);
    // The token is in the environment too, as an operator's shell would have it.
    const { process, url } = await serve({ BREAKWATER_TOKEN: admin });
    expect(await post(`${url}/api/circuit-breakers/payments/force-open`, admin)).toBe(200);
    // Out of service for longer than openLongerThan (1 s): the alert is a log line too.
    await process.until((out) => out.includes('open-too-long'));
    expect(await post(`${url}/api/circuit-breakers/payments/release`, admin)).toBe(200);
    await process.until((out) => out.includes('"to":"closed"'));
    process.child.kill('SIGTERM');
    const exit = await process.exit;
    expect(exit).toMatchObject({ code: 0, stderr: '' });

    const lines = logLines(exit.stdout);
    const transitions = lines.filter((line) => line.msg === 'circuit transition');
    expect(transitions).toEqual([
      expect.objectContaining({
        level: 'warn',
        breaker: 'payments',
        from: 'closed',
        to: 'forced-open',
        reason: 'manual',
      }),
      expect.objectContaining({
        level: 'info',
        breaker: 'payments',
        from: 'forced-open',
        to: 'closed',
        reason: 'manual',
      }),
    ]);
    for (const line of transitions) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'manual action',
        breaker: 'payments',
        action: 'force-open',
        actor: 'alice',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(/^alert open-too-long payments: /),
      }),
    );
    for (const text of [secret, admin, admin.split('.')[2] ?? admin]) {
      expect(exit.stdout).not.toContain(text);
      expect(exit.stderr).not.toContain(text);
    }
  });
});

describe('the operator commands as processes', () => {
  let monitor: { process: BreakwaterProcess; url: string } | undefined;
  afterAll(async () => {
    monitor?.process.child.kill('SIGTERM');
    await monitor?.process.exit;
  });

  it('read BREAKWATER_URL and BREAKWATER_TOKEN, act, and exit with their codes; watch stops on Ctrl-C', async () => {
    monitor = await serve();
    const admin = await signToken({ sub: 'alice', role: 'admin' }, undefined, env);
    const operator = childEnv({ BREAKWATER_URL: monitor.url, BREAKWATER_TOKEN: admin });

    const healthy = await runBreakwater(['status'], operator);
    expect(healthy).toMatchObject({ code: 0, stderr: '' });
    expect(healthy.stdout).toContain('2 services: 2 unknown; no circuit open');

    const forced = await runBreakwater(['force-open', 'payments'], operator);
    expect(forced).toMatchObject({
      code: 0,
      stdout: 'force-open payments: closed → forced-open\n',
    });
    const open = await runBreakwater(['status'], operator);
    expect(open.code).toBe(3);
    expect(open.stdout).toMatch(/\npayments\s+failed\s+forced-open\s+0\s+when released\n/);

    const watching = startBreakwater(['watch'], operator);
    await watching.until((out) => out.includes('Ctrl-C to quit'));
    watching.child.kill('SIGINT');
    const watched = await watching.exit;
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    expect(watched.stdout).toMatch(/\npayments\s+failed\s+forced-open/);

    const refused = await runBreakwater(['audit'], childEnv({ BREAKWATER_URL: monitor.url }));
    expect(refused.code).toBe(4);
    const down = await runBreakwater(['status', '--url', await closedPortUrl()], operator);
    expect(down.code).toBe(6);
    expect(down.stdout + down.stderr).not.toContain(admin);
    // Seven processes, each loading the sources through tsx: generous on a busy machine.
  }, 60_000);
});
