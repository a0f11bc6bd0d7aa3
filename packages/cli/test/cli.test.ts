import { parseArgs } from 'node:util';
import { isBreakwaterError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { isUsageError, UsageError } from '../src';
import { runCli } from '../src/cli/run-cli';
import { asUsageError } from '../src/cli/usage-error';
import { tempStores, whenStarted } from './support/demo-run';
import { fakeIo } from './support/fake-io';

const newStore = tempStores();

/** `breakwater demo <args> --store <a new temp file>` on a fake io, started. */
async function startDemo(args: readonly string[], options: { color?: boolean } = {}) {
  const fake = fakeIo(options);
  let ended = false;
  const exit = runCli(['demo', ...args, '--store', newStore()], fake.io).finally(() => {
    ended = true;
  });
  await whenStarted(fake.clock, () => ended);
  return { fake, exit };
}

describe('runCli', () => {
  it('exits with 2 and names an unknown command, with the usage', async () => {
    const fake = fakeIo();
    expect(await runCli(['nope'], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/^breakwater: unknown command 'nope'\n/);
    expect(fake.stderr()).toContain('Usage: breakwater <command>');
    expect(fake.stdout()).toBe('');
  });

  it('UsageError: BW_INVALID_USAGE, told apart by isUsageError', () => {
    const error = new UsageError("missing --config FILE for 'serve'");
    expect(error).toMatchObject({
      name: 'UsageError',
      code: 'BW_INVALID_USAGE',
      message: "missing --config FILE for 'serve'",
    });
    expect(isBreakwaterError(error)).toBe(true);
    expect(isUsageError(error)).toBe(true);
    expect(isUsageError(new Error("missing --config FILE for 'serve'"))).toBe(false);
  });

  it('turns a parse error of a command into a UsageError naming the command', () => {
    let parseError: unknown;
    try {
      parseArgs({ args: ['--fast'], options: {}, strict: true });
    } catch (error) {
      parseError = error;
    }
    const error = asUsageError(parseError, 'demo');
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toBe("unknown option '--fast' for 'demo'");
    const other = new Error('boom');
    expect(asUsageError(other, 'demo')).toBe(other);
  });

  it('exits with 2 when no command is given', async () => {
    const fake = fakeIo();
    expect(await runCli([], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/^breakwater: missing command\n/);
  });

  it('exits with 2 and names an unknown option of demo', async () => {
    const fake = fakeIo();
    expect(await runCli(['demo', '--fast'], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/^breakwater: unknown option '--fast' for 'demo'\n/);
    expect(fake.stderr()).toContain(
      'Usage: breakwater demo [--duration SECONDS] [--config FILE] [--store FILE] [--fresh] [--redis URL] [--port N] [--no-color]',
    );
    expect(fake.clock.pendingTimers).toBe(0);
  });

  it.each([
    [['--duration'], "option '--duration <value>' argument missing for 'demo'"],
    [['--duration', 'soon'], "--duration must be a number of seconds > 0 and ≤ 3600, got 'soon'"],
    [['--duration', '0'], "got '0'"],
    [['--duration=-3'], "got '-3'"],
    [['extra'], "unexpected argument 'extra' for 'demo'"],
  ])('exits with 2 for demo %j, saying what is wrong', async (args, message) => {
    const fake = fakeIo();
    expect(await runCli(['demo', ...args], fake.io)).toBe(2);
    expect(fake.stderr()).toContain(message);
    expect(fake.listening()).toBe(false);
  });

  it.each([['help'], ['--help'], ['-h']])(
    'prints the usage for %s with exit code 0',
    async (arg) => {
      const fake = fakeIo();
      expect(await runCli([arg], fake.io)).toBe(0);
      expect(fake.stdout()).toContain('Usage: breakwater <command> [options]');
      expect(fake.stdout()).toContain('demo [--duration SECONDS] [--config FILE]');
    },
  );

  it("prints serve's own help for serve --help, with the dashboard and how to turn it off", async () => {
    const fake = fakeIo();
    expect(await runCli(['serve', '--help'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain(
      'Usage: breakwater serve --config FILE [--port N] [--host H] [--no-dashboard]',
    );
    expect(fake.stdout()).toContain('  dashboard: http://HOST:PORT/');
    expect(fake.stdout()).toContain('http://HOST:PORT/#token=TOKEN');
    expect(fake.stdout()).toMatch(/--no-dashboard serve the API only, not the web dashboard at \//);
    expect(fake.stdout()).toContain('server.dashboard: false');
  });

  it("prints demo's own help for demo --help", async () => {
    const fake = fakeIo();
    expect(await runCli(['demo', '--help'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain(
      '--duration SECONDS  how long to run (default 20; with --port, until Ctrl-C)',
    );
    expect(fake.stdout()).toContain('--store FILE');
    expect(fake.stdout()).toContain('--fresh');
  });

  it('exits with 1 and prints every problem of a configuration it cannot use', async () => {
    const fake = fakeIo();
    const exit = await runCli(['demo', '--config', 'missing.yaml', '--store', newStore()], fake.io);
    expect(exit).toBe(1);
    expect(fake.stderr()).toMatch(/^breakwater: Invalid configuration file missing\.yaml/);
    expect(fake.listening()).toBe(false);
    expect(fake.clock.pendingTimers).toBe(0);
  });

  it('runs the demo for --duration seconds and exits with 0, no longer listening for Ctrl-C', async () => {
    const { fake, exit } = await startDemo(['--duration', '2.5']);
    await fake.clock.advanceAsync(2_500);
    expect(await exit).toBe(0);
    expect(fake.stdout()).toContain('[ 2.5s] demo over after 2.5s');
    expect(fake.listening()).toBe(false);
    expect(fake.clock.pendingTimers).toBe(0);
  });

  it('stops the demo on Ctrl-C with the summary and exit code 0', async () => {
    const { fake, exit } = await startDemo([]);
    await fake.clock.advanceAsync(4_000);
    fake.interrupt();
    expect(await exit).toBe(0);
    expect(fake.stdout()).toContain('[ 4.0s] demo interrupted after 4s');
    expect(fake.clock.pendingTimers).toBe(0);
  });

  it('colours a terminal unless --no-color is given', async () => {
    for (const [args, coloured] of [
      [[], true],
      [['--no-color'], false],
    ] as const) {
      const { fake, exit } = await startDemo(['--duration', '1', ...args], { color: true });
      await fake.clock.advanceAsync(1_000);
      expect(await exit).toBe(0);
      expect(fake.stdout().includes('\u001b[')).toBe(coloured);
    }
  });
});
