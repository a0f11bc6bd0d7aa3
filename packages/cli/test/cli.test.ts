import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { fakeIo } from './support/fake-io';

describe('runCli', () => {
  it('exits with 2 and names an unknown command, with the usage', async () => {
    const fake = fakeIo();
    expect(await runCli(['nope'], fake.io)).toBe(2);
    expect(fake.stderr()).toMatch(/^breakwater: unknown command 'nope'\n/);
    expect(fake.stderr()).toContain('Usage: breakwater <command>');
    expect(fake.stdout()).toBe('');
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
    expect(fake.stderr()).toContain('Usage: breakwater demo [--duration SECONDS] [--no-color]');
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
      expect(fake.stdout()).toContain('demo [--duration SECONDS] [--no-color]');
    },
  );

  it("prints demo's own help for demo --help", async () => {
    const fake = fakeIo();
    expect(await runCli(['demo', '--help'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain('--duration SECONDS  how long to run (default 20)');
  });

  it('runs the demo for --duration seconds and exits with 0, no longer listening for Ctrl-C', async () => {
    const fake = fakeIo();
    const exit = runCli(['demo', '--duration', '2.5'], fake.io);
    await fake.clock.advanceAsync(2_500);
    expect(await exit).toBe(0);
    expect(fake.stdout()).toContain('[ 2.5s] demo over after 2.5s');
    expect(fake.listening()).toBe(false);
    expect(fake.clock.pendingTimers).toBe(0);
  });

  it('stops the demo on Ctrl-C with the summary and exit code 0', async () => {
    const fake = fakeIo();
    const exit = runCli(['demo'], fake.io);
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
      const fake = fakeIo({ color: true });
      const exit = runCli(['demo', '--duration', '1', ...args], fake.io);
      await fake.clock.advanceAsync(1_000);
      expect(await exit).toBe(0);
      expect(fake.stdout().includes('\u001b[')).toBe(coloured);
    }
  });
});
