import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { signToken } from '@breakwater/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithRedisServer,
  type PrivateRedis,
  startPrivateRedis,
} from '../../../tests/support/redis-server';
import { runNode } from './support/run-node';

const bin = ['--conditions=@breakwater/source', '--import', 'tsx', 'packages/cli/src/bin.ts'];
const secret = 'a-fleet-secret-of-at-least-32-characters';
const env = { ...process.env, NO_COLOR: '1', BREAKWATER_JWT_SECRET: secret };
const folder = mkdtempSync(join(tmpdir(), 'breakwater-fleet-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeWithRedisServer('the CLI on a shared Redis', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    return () => redis.stop();
  });

  it("shows one demo's opens in another demo on the same Redis", async () => {
    await redis.restart(); // empty: no state left by another test
    const demo = () => runNode([...bin, 'demo', '--redis', redis.url, '--duration', '4'], env);
    const [first, second] = await Promise.all([demo(), demo()]);
    for (const run of [first, second]) {
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`Breakers are shared through ${redis.url}`);
    }
    // Both run the same outages, so which one trips first is a race; but half-open
    // trials are fleet-wide, so the instance left without a permit takes up the
    // other's failed trial (or its open, had it not tripped yet) as a shared transition.
    expect(`${first.stdout}${second.stdout}`).toMatch(/→ (open|closed)\s+\(shared\)/);
  });

  it('keeps two demos serving through a Redis restart, degraded then back in step', async () => {
    await redis.restart(); // empty: no state left by another test
    const joined = new Set<number>();
    let killed = false;
    let restarted: Promise<void> | undefined;
    const demo = (id: number) =>
      runNode([...bin, 'demo', '--redis', redis.url, '--duration', '6'], env, (stdout) => {
        // Kill Redis once both demos joined (their header is out and traffic runs);
        // bring it back once an instance noticed.
        if (stdout.includes('Injected faults:')) joined.add(id);
        if (!killed && joined.size === 2) {
          killed = true;
          void redis.kill();
        }
        if (killed && restarted === undefined && stdout.includes('sharing degraded')) {
          restarted = redis.restart();
        }
      });
    const runs = await Promise.all([demo(1), demo(2)]);
    await restarted;
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('sharing degraded, running on local state');
      expect(run.stdout).toContain('sharing restored: back in step with the fleet');
      expect(run.stdout).toContain('demo over after 6s');
    }
  });

  it('serves a fleet view whose admin actions reach every instance', async () => {
    const keyPrefix = 'fleet-view:';
    const config = join(folder, 'fleet.yaml');
    writeFileSync(
      config,
      `services:\n  market-data:\n    failureThreshold: 3\nstore:\n  type: redis\n  url: ${redis.url}\n  keyPrefix: '${keyPrefix}'\n`,
    );
    const store = await RedisStore.connect({ url: redis.url, keyPrefix });
    const app = await Registry.open({ store, shared: true, services: { 'market-data': {} } });
    const token = await signToken({ sub: 'ops', role: 'admin' }, undefined, {
      BREAKWATER_JWT_SECRET: secret,
    });
    const headers = { authorization: `Bearer ${token}` };
    let checks: Promise<unknown> | undefined;
    try {
      const exit = await runNode(
        [...bin, 'serve', '--config', config, '--port', '0'],
        env,
        (stdout, child) => {
          const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
          if (url === undefined || checks !== undefined) return;
          checks = (async () => {
            // An open on the application instance shows in the server's view...
            const opened = new Promise((resolve) => app.on('stateChange', resolve));
            await app.forceOpen('market-data');
            await opened;
            type View = { state: string; instances: Array<{ instance: string; state: string }> };
            const seen = async () =>
              (await (
                await fetch(`${url}/api/circuit-breakers/market-data`, { headers })
              ).json()) as View;
            const settled = (view: View) =>
              view.state === 'forced-open' && view.instances.length === 2;
            let view = await seen();
            for (let tries = 0; !settled(view) && tries < 200; tries++) view = await seen();
            expect(view.state).toBe('forced-open');
            // ...with who reports what: the server itself first, then the application.
            expect(view.instances).toMatchObject([
              { state: 'forced-open' },
              { instance: app.sharingStatus()?.instance, state: 'forced-open' },
            ]);
            // ...and a release through the server reaches the application.
            const released = new Promise((resolve) =>
              app.on('stateChange', (event) => event.to === 'closed' && resolve(event)),
            );
            const reply = await fetch(`${url}/api/circuit-breakers/market-data/release`, {
              method: 'POST',
              headers,
            });
            expect(reply.status).toBe(200);
            expect(await released).toMatchObject({ reason: 'shared' });
          })().finally(() => child.kill('SIGTERM'));
        },
      );
      expect(exit).toMatchObject({ code: 0, stderr: '' });
      await checks;
    } finally {
      await app.close();
    }
  });

  it('exits 1 naming the URL when Redis cannot be reached, before anything listens', async () => {
    const config = join(folder, 'unreachable.yaml');
    writeFileSync(
      config,
      'services:\n  api: {}\nstore:\n  type: redis\n  url: redis://127.0.0.1:1\n',
    );
    const exit = await runNode([...bin, 'serve', '--config', config, '--port', '0'], env);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('redis://127.0.0.1:1');
    expect(exit.stdout).not.toContain('listening on');
  });
});
