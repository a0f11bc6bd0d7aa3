import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { fakeIo } from './support/fake-io';
import {
  closedPortUrl,
  foreignToken,
  monitorFixture,
  tripDatabase,
} from './support/monitor-fixture';

const fixture = monitorFixture();

/** Runs `breakwater <args>` in-process; `env` is all the environment it sees. */
async function breakwater(args: readonly string[], env: Record<string, string> = {}) {
  const fake = fakeIo({ env });
  const code = await runCli(args, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** `--url` of the running monitor and `--token` of the given one. */
function at(token: string): string[] {
  return ['--url', fixture().url, '--token', token];
}

describe('breakwater status', () => {
  it('lists every service with its health, state, failures and recovery, and exits 0', async () => {
    const { viewer } = fixture();
    const exit = await breakwater(['status', ...at(viewer)]);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const lines = exit.stdout.split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+HEALTH\s+STATE\s+FAILURES\s+RECOVERY IN$/);
    expect(lines[1]).toMatch(/^database\s+unknown\s+closed\s+0\s+-$/);
    expect(lines[2]).toMatch(/^payments\s+unknown\s+closed\s+0\s+-$/);
    expect(exit.stdout).toContain('3 services: 3 unknown; no circuit open\n');
  });

  it('exits 3 while a circuit is open, with the time until its recovery trial', async () => {
    const { registry, viewer } = fixture();
    await tripDatabase(registry);
    const exit = await breakwater(['status', ...at(viewer)]);
    expect(exit.code).toBe(3);
    expect(exit.stdout).toMatch(/\ndatabase\s+failed\s+open\s+1\s+(59|60)\.\ds\n/);
    expect(exit.stdout).toMatch(/\npayments\s+degraded\s+closed\s+0\s+-\s+degraded by database\n/);
    expect(exit.stdout).toContain('3 services: 2 degraded, 1 failed; open: database\n');
  });

  it('exits 3 for a forced-open circuit too, and 0 again once it is released', async () => {
    const { registry, viewer } = fixture();
    await registry.forceOpen('database');
    const forced = await breakwater(['status', ...at(viewer)]);
    expect(forced.code).toBe(3);
    expect(forced.stdout).toMatch(/\ndatabase\s+failed\s+forced-open\s+0\s+when released\n/);
    await registry.release('database');
    expect((await breakwater(['status', ...at(viewer)])).code).toBe(0);
  });

  it("prints the monitor's JSON with --json, keeping the exit code", async () => {
    const { registry, viewer } = fixture();
    await tripDatabase(registry);
    const exit = await breakwater(['status', '--json', ...at(viewer)]);
    expect(exit.code).toBe(3);
    const body = JSON.parse(exit.stdout) as { breakers: { name: string; state: string }[] };
    expect(body.breakers.map(({ name, state }) => [name, state])).toEqual([
      ['database', 'open'],
      ['payments', 'closed'],
      ['ledger', 'closed'],
    ]);
  });

  it('shows one service for status NAME, and exits 5 naming an unknown one', async () => {
    const { viewer } = fixture();
    const one = await breakwater(['status', 'payments', ...at(viewer)]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /^SERVICE.*\npayments\s+unknown\s+closed\s+0\s+-\n\n1 service: 1 unknown/,
    );
    const unknown = await breakwater(['status', 'nope', ...at(viewer)]);
    expect(unknown).toMatchObject({ code: 5, stdout: '' });
    expect(unknown.stderr).toBe(
      `breakwater: the monitor at ${fixture().url} has no service 'nope'. Run 'breakwater status' to list its services.\n`,
    );
  });

  it('reads the monitor and the token from BREAKWATER_URL and BREAKWATER_TOKEN', async () => {
    const { url, viewer } = fixture();
    const exit = await breakwater(['status'], { BREAKWATER_URL: url, BREAKWATER_TOKEN: viewer });
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toContain('3 services');
    // --url and --token win over the environment.
    const flags = await breakwater(['status', ...at(viewer)], {
      BREAKWATER_URL: await closedPortUrl(),
      BREAKWATER_TOKEN: 'not-a-token',
    });
    expect(flags.code).toBe(0);
  });

  it('exits 4 without a token, saying how to pass and mint one', async () => {
    const { url } = fixture();
    const exit = await breakwater(['status', '--url', url]);
    expect(exit).toMatchObject({ code: 4, stdout: '' });
    expect(exit.stderr).toBe(
      `breakwater: the monitor at ${url} needs a token to list the services: pass --token TOKEN or set BREAKWATER_TOKEN (mint one with 'breakwater token --role viewer --sub NAME').\n`,
    );
  });

  it('exits 4 for a token the monitor refuses, without printing the token', async () => {
    const token = await foreignToken();
    const exit = await breakwater(['status', ...at(token)]);
    expect(exit.code).toBe(4);
    expect(exit.stderr).toMatch(/^breakwater: the monitor at http:\S+ refused the token \(/);
    expect(exit.stderr).toContain("mint one with 'breakwater token --role viewer --sub NAME'");
    expect(exit.stderr).not.toContain(token);
    const json = await breakwater(['status', '--json', ...at(token)]);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(json.stdout + json.stderr).not.toContain(token);
  });

  it('exits 6 naming the URL when nothing listens there', async () => {
    const url = await closedPortUrl();
    const exit = await breakwater(['status', '--url', url, '--token', fixture().viewer]);
    expect(exit).toMatchObject({ code: 6, stdout: '' });
    expect(exit.stderr).toBe(
      `breakwater: cannot reach the monitor at ${url}: nothing is listening there (connection refused). Check that it is running ('breakwater serve') and that --url or BREAKWATER_URL points at it.\n`,
    );
    expect(exit.stderr).not.toContain(fixture().viewer);
  });

  it('exits 1 for a server that is not a monitor', async () => {
    const exit = await breakwater([
      'status',
      '--url',
      `${fixture().url}/elsewhere`,
      '--token',
      fixture().viewer,
    ]);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(
      `the server at ${fixture().url}/elsewhere has no route GET /api/circuit-breakers/health: is it a Breakwater monitor?`,
    );
  });

  it.each([
    [
      ['status', '--url', 'ftp://monitor'],
      "--url must be an http:// or https:// URL such as http://127.0.0.1:8080, got 'ftp://monitor'",
    ],
    [
      ['status', '--url', 'not a url'],
      "--url must be an http:// or https:// URL such as http://127.0.0.1:8080, got 'not a url'",
    ],
    [['status', 'a', 'b'], "'status' takes at most one service NAME, got 2"],
    [['status', '--fast'], "unknown option '--fast' for 'status'"],
  ])('exits 2 for %j, saying what is wrong', async (args, message) => {
    const exit = await breakwater(args);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain(`breakwater: ${message}\n`);
  });

  it('exits 2 naming BREAKWATER_URL when its value is not a URL', async () => {
    const exit = await breakwater(['status'], { BREAKWATER_URL: 'monitor:8080' });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain(
      "BREAKWATER_URL must be an http:// or https:// URL such as http://127.0.0.1:8080, got 'monitor:8080'",
    );
  });
});

describe('breakwater reset, force-open, disable, release', () => {
  it("force-open NAME opens the circuit, prints one line and is audited with the token's sub", async () => {
    const { registry, admin } = fixture();
    const exit = await breakwater(['force-open', 'database', ...at(admin)]);
    expect(exit).toEqual({
      code: 0,
      stdout: 'force-open database: closed → forced-open\n',
      stderr: '',
    });
    expect(registry.breaker('database').state).toBe('forced-open');
    const [entry] = await registry.audit();
    expect(entry).toMatchObject({
      action: 'force-open',
      target: 'database',
      actor: { id: 'alice' },
    });
  });

  it.each([
    ['disable', undefined, 'closed → disabled', 'disabled'],
    ['release', 'forceOpen', 'forced-open → closed', 'closed'],
    ['release', 'disable', 'disabled → closed', 'closed'],
    ['reset', 'trip', 'open → closed', 'closed'],
    ['reset', undefined, 'still closed', 'closed'],
  ] as const)('%s NAME after %s: %s', async (action, before, change, after) => {
    const { registry, admin } = fixture();
    if (before === 'trip') await tripDatabase(registry);
    else if (before !== undefined) await registry[before]('database');
    const exit = await breakwater([action, 'database', ...at(admin)]);
    expect(exit).toEqual({ code: 0, stdout: `${action} database: ${change}\n`, stderr: '' });
    expect(registry.breaker('database').state).toBe(after);
  });

  it("prints the monitor's answer with --json", async () => {
    const exit = await breakwater(['force-open', 'payments', '--json', ...at(fixture().admin)]);
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.stdout)).toEqual({
      service: 'payments',
      action: 'force-open',
      before: 'closed',
      after: 'forced-open',
    });
  });

  it('exits 4 with a viewer token, naming the admin role, and changes nothing', async () => {
    const { registry, viewer, url } = fixture();
    const exit = await breakwater(['reset', 'database', ...at(viewer)]);
    expect(exit).toMatchObject({ code: 4, stdout: '' });
    expect(exit.stderr).toBe(
      `breakwater: the monitor at ${url} refused to reset 'database': it needs an admin token and the token given is not one. Mint one with 'breakwater token --role admin --sub NAME'.\n`,
    );
    await tripDatabase(registry);
    await breakwater(['reset', 'database', ...at(viewer)]);
    expect(registry.breaker('database').state).toBe('open');
  });

  it("exits 5 for an unknown service; --json prints the monitor's error", async () => {
    const exit = await breakwater(['disable', 'nope', ...at(fixture().admin)]);
    expect(exit.code).toBe(5);
    expect(exit.stderr).toContain(
      "has no service 'nope'. Run 'breakwater status' to list its services.",
    );
    const json = await breakwater(['disable', 'nope', '--json', ...at(fixture().admin)]);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'BW_UNKNOWN_SERVICE', message: "Unknown service 'nope'", service: 'nope' },
    });
  });

  it('exits 6 when the monitor is down', async () => {
    const exit = await breakwater(['release', 'database', '--url', await closedPortUrl()]);
    expect(exit.code).toBe(6);
    expect(exit.stderr).toContain('nothing is listening there (connection refused)');
  });

  it.each([
    [['reset'], "missing the service NAME for 'reset'"],
    [['force-open', 'a', 'b'], "'force-open' takes one service NAME, got 2"],
    [['disable', '--limit', '3', 'a'], "unknown option '--limit' for 'disable'"],
  ])('exits 2 for %j', async (args, message) => {
    const exit = await breakwater(args);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain(message);
  });
});

describe('breakwater audit', () => {
  it('lists the entries newest first, one line each', async () => {
    const { admin } = fixture();
    await breakwater(['force-open', 'database', ...at(admin)]);
    await breakwater(['release', 'database', ...at(admin)]);
    await breakwater(['reset', 'nope', ...at(admin)]);
    const exit = await breakwater(['audit', ...at(admin)]);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const lines = exit.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}alice \(admin\) {2}reset +nope +refused: Unknown service 'nope'$/,
    );
    expect(lines[1]).toMatch(/ {2}alice \(admin\) {2}release +database {2}forced-open → closed$/);
    expect(lines[2]).toMatch(
      / {2}alice \(admin\) {2}force-open {2}database {2}closed → forced-open$/,
    );
    // The columns line up.
    expect(new Set(lines.map((line) => line.search(/(nope|database)/))).size).toBe(1);
  });

  it('keeps --limit entries and those of --service; --json prints the entries', async () => {
    const { registry, admin } = fixture();
    await registry.forceOpen('database', { id: 'carol', role: 'admin' });
    await registry.disable('payments', { id: 'dave', role: 'admin' });
    const limited = await breakwater(['audit', '--limit', '1', ...at(admin)]);
    expect(limited.stdout).toMatch(
      /^\S+ \S+ {2}dave \(admin\) {2}disable {2}payments {2}closed → disabled\nolder entries: add --before \d+\n$/,
    );
    const database = await breakwater(['audit', '--service', 'database', ...at(admin)]);
    expect(database.stdout).toContain('carol (admin)');
    expect(database.stdout).not.toContain('dave');
    const json = await breakwater(['audit', '--json', ...at(admin)]);
    const body = JSON.parse(json.stdout) as { entries: { actor: { id: string } }[] };
    expect(body.entries.map((entry) => entry.actor.id)).toEqual(['dave', 'carol']);
  });

  it('pages back with --before the id its last line names, until a page is not full', async () => {
    const { registry, admin } = fixture();
    for (const id of ['carol', 'dave', 'erin']) {
      await registry.forceOpen('database', { id, role: 'admin' });
    }
    const first = await breakwater(['audit', '--limit', '2', ...at(admin)]);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines.map((line) => /^\S+ \S+ {2}(\w+)/.exec(line)?.[1])).toEqual([
      'erin',
      'dave',
      undefined,
    ]);
    const before = /^older entries: add --before (\d+)$/.exec(lines[2] ?? '')?.[1];
    expect(before).toBeDefined();

    const next = await breakwater(['audit', '--limit', '2', '--before', `${before}`, ...at(admin)]);
    expect(next).toMatchObject({ code: 0, stderr: '' });
    expect(next.stdout).toMatch(/^\S+ \S+ {2}carol \(admin\) {2}force-open {2}database .*\n$/);
    const json = await breakwater(['audit', '--json', '--before', `${before}`, ...at(admin)]);
    const body = JSON.parse(json.stdout) as { entries: { actor: { id: string } }[] };
    expect(body.entries.map((entry) => entry.actor.id)).toEqual(['carol']);
    const oldest = await breakwater([
      'audit',
      '--service',
      'database',
      '--before',
      '1',
      ...at(admin),
    ]);
    expect(oldest.stdout).toBe("no audit entries older than 1 for 'database'\n");
  });

  it('--help names --before and the line that gives its id', async () => {
    const help = (await breakwater(['audit', '--help'])).stdout;
    expect(help).toMatch(/^Usage: breakwater audit .*\[--before ID\]/);
    expect(help).toMatch(/\n {2}--before ID {5}only the entries older than the one with this id/);
    expect(help.replace(/\s+/g, ' ')).toContain('its last line names the --before');
  });

  it('exits 2 for a --before that is not an entry id', async () => {
    for (const before of ['0', '-4', '2.5', 'abc', '9007199254740993']) {
      const bad = await breakwater(['audit', `--before=${before}`]);
      expect(bad.code, before).toBe(2);
      expect(bad.stderr).toContain(
        `--before must be an audit entry's id, a whole number from 1, got '${before}'`,
      );
    }
  });

  it('says so when there is nothing to list', async () => {
    const exit = await breakwater(['audit', '--service', 'ledger', ...at(fixture().admin)]);
    expect(exit).toEqual({ code: 0, stdout: "no audit entries for 'ledger'\n", stderr: '' });
  });

  it('exits 4 with a viewer token and 2 for a bad --limit', async () => {
    expect((await breakwater(['audit', ...at(fixture().viewer)])).code).toBe(4);
    const bad = await breakwater(['audit', '--limit', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--limit must be a whole number from 1 to 10000, got '0'");
  });
});

describe('--help of the operator commands', () => {
  it.each([
    ['status', 'health probe'],
    ['reset', 'Closes the circuit of service NAME'],
    ['force-open', 'every call is rejected'],
    ['disable', 'every call goes'],
    ['release', "Ends 'force-open' or 'disable'"],
    ['audit', 'newest first'],
    ['watch', 'redrawn'],
  ])('%s --help says what it does, its options and its exit codes', async (command, does) => {
    const exit = await breakwater([command, '--help']);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toMatch(new RegExp(`^Usage: breakwater ${command}`));
    expect(exit.stdout.replace(/\s+/g, ' ')).toContain(does);
    expect(exit.stdout).toContain('--url URL');
    expect(exit.stdout).toContain('BREAKWATER_TOKEN');
    expect(exit.stdout).toContain('--json');
    expect(exit.stdout).toContain('Exit codes:');
    expect(exit.stdout).toMatch(/ {2}6 {2}the monitor cannot be reached/);
  });

  it('the command list names every operator command', async () => {
    const exit = await breakwater(['--help']);
    for (const command of [
      'status',
      'watch',
      'reset',
      'force-open',
      'disable',
      'release',
      'audit',
    ]) {
      expect(exit.stdout).toMatch(new RegExp(`\\n {2}${command} `));
    }
  });
});
