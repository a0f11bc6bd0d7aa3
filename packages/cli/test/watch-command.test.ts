import type { ServiceUpdateMessage } from '@breakwater/protocol';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { ServiceBoard } from '../src/watch/service-board';
import { WatchScreen } from '../src/watch/watch-screen';
import { fakeIo } from './support/fake-io';
import {
  closedPortUrl,
  foreignToken,
  monitorFixture,
  tripDatabase,
} from './support/monitor-fixture';

const fixture = monitorFixture();

/** `breakwater watch <args>` in-process against the fixture's monitor, with a viewer token. */
function watch(args: readonly string[], options: { tty?: boolean; token?: string } = {}) {
  const fake = fakeIo({ tty: options.tty ?? false });
  const { url, viewer } = fixture();
  const exit = runCli(
    ['watch', '--url', url, '--token', options.token ?? viewer, ...args],
    fake.io,
  );
  return { fake, exit };
}

/** How many times `text` occurs in `output`. */
function occurrences(output: string, text: string): number {
  return output.split(text).length - 1;
}

describe('breakwater watch', () => {
  it('--once prints the first full view from the stream and exits 0', async () => {
    const { fake, exit } = watch(['--once']);
    expect(await exit).toBe(0);
    const lines = fake.stdout().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^breakwater watch {2}${fixture().url} {2}as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
      ),
    );
    expect(fake.stdout()).toMatch(/\nSERVICE\s+HEALTH\s+STATE\s+FAILURES\s+RECOVERY IN\n/);
    expect(fake.stdout()).toMatch(/\ndatabase\s+unknown\s+closed\s+0\s+-\n/);
    expect(fake.stdout()).toContain('3 services: 3 unknown; no circuit open\n');
    expect(fake.stdout()).not.toContain('\u001b[');
    expect(fake.stderr()).toBe('');
    expect(fake.listening()).toBe(false);
  });

  it('--once exits 3 while a circuit is open, as status does', async () => {
    await tripDatabase(fixture().registry);
    const { fake, exit } = watch(['--once']);
    expect(await exit).toBe(3);
    expect(fake.stdout()).toMatch(/\ndatabase\s+failed\s+open\s+1\s+\d+\.\ds\n/);
    expect(fake.stdout()).toContain('open: database');
  });

  it('--once --json prints the first service:update as the monitor sent it, on one line', async () => {
    const { fake, exit } = watch(['--once', '--json']);
    expect(await exit).toBe(0);
    const lines = fake.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const message = JSON.parse(lines[0] ?? '') as ServiceUpdateMessage;
    expect(message.type).toBe('service:update');
    expect(message.services.map((service) => service.service)).toEqual([
      'database',
      'payments',
      'ledger',
    ]);
  });

  it('redraws in place on every update of a terminal, and Ctrl-C exits 0 with the cursor back', async () => {
    const { fake, exit } = watch([], { tty: true });
    await fake.stdoutMatches((out) => out.includes('Ctrl-C to quit'));
    expect(fake.stdout().startsWith('\u001b[?25l\u001b[2J\u001b[H')).toBe(true);
    // A change pushes an update: the view is drawn again from the top, with the new state.
    await fixture().registry.forceOpen('database');
    await fake.stdoutMatches((out) => /database\s+failed\s+forced-open/.test(out));
    const output = fake.stdout();
    const redraw = output.lastIndexOf('\u001b[H');
    expect(redraw).toBeGreaterThan(0);
    expect(output.slice(redraw)).toMatch(/database\s+failed\s+forced-open\s+0\s+when released/);
    // The screen is cleared once; later views overwrite the last line by line.
    expect(occurrences(output, '\u001b[2J')).toBe(1);
    expect(output.slice(redraw)).toContain('\u001b[K\n');
    expect(output.endsWith('\u001b[J')).toBe(true);
    fake.interrupt();
    expect(await exit).toBe(0);
    expect(fake.stdout().endsWith('\u001b[?25h')).toBe(true);
    expect(fake.stderr()).toBe('');
    expect(fake.listening()).toBe(false);
  });

  it('prints one view after another, without control codes, when stdout is not a terminal', async () => {
    const { fake, exit } = watch([]);
    await fake.stdoutMatches((out) => out.includes('Ctrl-C to quit'));
    await fixture().registry.disable('ledger');
    await fake.stdoutMatches((out) => /ledger\s+\S+\s+disabled/.test(out));
    fake.interrupt();
    expect(await exit).toBe(0);
    expect(fake.stdout()).not.toContain('\u001b');
    expect(occurrences(fake.stdout(), 'SERVICE')).toBeGreaterThanOrEqual(2);
  });

  it('--json prints every service:update as one line until Ctrl-C', async () => {
    const { fake, exit } = watch(['--json']);
    await fake.stdoutMatches((out) => out.includes('"service:update"'));
    await fixture().registry.forceOpen('payments');
    await fake.stdoutMatches((out) => out.includes('"phase":"forced-open"'));
    fake.interrupt();
    expect(await exit).toBe(0);
    for (const line of fake.stdout().trimEnd().split('\n')) {
      expect(JSON.parse(line)).toMatchObject({ type: 'service:update' });
    }
  });

  it('exits 6 naming the URL when the monitor stops while watching', async () => {
    const { fake, exit } = watch([]);
    await fake.stdoutMatches((out) => out.includes('Ctrl-C to quit'));
    await fixture().monitor.stop();
    expect(await exit).toBe(6);
    expect(fake.stderr()).toBe(
      `breakwater: the monitor at ${fixture().url} ended the stream: it is shutting down. Run 'breakwater watch' again once it is back.\n`,
    );
  });

  it('exits 4 for a refused token, without printing it', async () => {
    const token = await foreignToken();
    const { fake, exit } = watch(['--once'], { token });
    expect(await exit).toBe(4);
    expect(fake.stderr()).toMatch(
      /^breakwater: the monitor at \S+ refused the token \(authentication failed\)/,
    );
    expect(fake.stdout() + fake.stderr()).not.toContain(token);
  });

  it('exits 4 without a token, saying how to pass one', async () => {
    const fake = fakeIo();
    expect(await runCli(['watch', '--once', '--url', fixture().url], fake.io)).toBe(4);
    expect(fake.stderr()).toContain('needs a token to watch the services: pass --token TOKEN');
  });

  it('exits 6 when nothing listens at the URL', async () => {
    const fake = fakeIo();
    const url = await closedPortUrl();
    expect(await runCli(['watch', '--once', '--url', url], fake.io)).toBe(6);
    expect(fake.stderr()).toContain(
      `cannot reach the monitor at ${url}: nothing is listening there (connection refused)`,
    );
  });

  it('exits 1 when the server at the URL is not a monitor', async () => {
    const fake = fakeIo();
    const url = `${fixture().url}/elsewhere`;
    expect(await runCli(['watch', '--once', '--url', url], fake.io)).toBe(1);
    expect(fake.stderr()).toContain(`the server at ${url} answered the stream's upgrade with 404`);
  });
});

describe('ServiceBoard', () => {
  const snapshot = (service: string, phase: 'closed' | 'open', failureCount: number) => ({
    service,
    status: phase === 'open' ? ('failed' as const) : ('healthy' as const),
    circuit: {
      state: phase,
      failureCount,
      lastFailure: null,
      recoveryAttempts: 0,
      phase,
      recoveryIn: phase === 'open' ? 5_000 : null,
      degradedBy: [],
    },
    operations: { total: 1, successful: 1, failed: 0, rejected: 0 },
  });
  const update = (timestamp: string, ...services: ReturnType<typeof snapshot>[]) => ({
    type: 'service:update' as const,
    timestamp,
    services,
  });

  it('merges partial updates by name, keeping the first order, and ignores a late one', () => {
    const board = new ServiceBoard();
    board.apply(
      update('2026-11-23T11:00:00.000Z', snapshot('a', 'closed', 0), snapshot('b', 'closed', 0)),
    );
    board.apply(update('2026-11-23T11:00:02.000Z', snapshot('b', 'open', 5)));
    board.apply(
      update('2026-11-23T11:00:01.000Z', snapshot('b', 'closed', 0), snapshot('c', 'closed', 0)),
    );
    expect(board.rows().map((row) => [row.service, row.state, row.failures])).toEqual([
      ['a', 'closed', 0],
      ['b', 'open', 5],
      ['c', 'closed', 0],
    ]);
    expect(board.asOf).toBe('2026-11-23T11:00:02.000Z');
  });
});

describe('WatchScreen', () => {
  it('clears the terminal once, then overwrites each view from the top', () => {
    let written = '';
    const screen = new WatchScreen((text) => {
      written += text;
    }, true);
    screen.draw(['one', 'two']);
    screen.draw(['three']);
    screen.close();
    expect(written).toBe(
      '\u001b[?25l\u001b[2J\u001b[Hone\u001b[K\ntwo\u001b[K\n\u001b[J' +
        '\u001b[Hthree\u001b[K\n\u001b[J' +
        '\u001b[?25h',
    );
  });
});
