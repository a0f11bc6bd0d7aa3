import type { ServiceUpdateMessage } from '@breakwater/client';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
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

  it('says the connection is lost when the monitor stops, and catches up once it is back', async () => {
    const { monitor, registry, url } = fixture();
    const { fake, exit } = watch([]);
    await fake.stdoutMatches((out) => out.includes('Ctrl-C to quit'));
    await monitor.stop();
    await fake.stdoutMatches((out) => out.includes('connection lost: reconnecting (attempt 1 in '));
    // Changed while the watcher was away: it shows once the monitor is back on the same port.
    await registry.forceOpen('ledger');
    await monitor.start({ port: Number(new URL(url).port) });
    await fake.stdoutMatches((out) => /ledger\s+failed\s+forced-open/.test(out));
    const lastView = fake.stdout().slice(fake.stdout().lastIndexOf('breakwater watch'));
    expect(lastView).not.toContain('connection lost');
    fake.interrupt();
    expect(await exit).toBe(0);
    expect(fake.stderr()).toBe('');
  });

  it.each([[['--once']], [[]]])(
    '%j exits 6 when the monitor is down from the start',
    async (args) => {
      await fixture().monitor.stop();
      const { fake, exit } = watch(args);
      expect(await exit).toBe(6);
      expect(fake.stdout()).toBe('');
      expect(fake.stderr()).toContain(
        `cannot reach the monitor at ${fixture().url}: nothing is listening`,
      );
    },
  );

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
    expect(
      await runCli(['watch', '--once', '--url', url, '--token', fixture().viewer], fake.io),
    ).toBe(6);
    expect(fake.stderr()).toContain(
      `cannot reach the monitor at ${url}: nothing is listening there (connection refused)`,
    );
  });

  it('exits 1 when the server at the URL is not a monitor', async () => {
    const fake = fakeIo();
    const url = `${fixture().url}/elsewhere`;
    expect(
      await runCli(['watch', '--once', '--url', url, '--token', fixture().viewer], fake.io),
    ).toBe(1);
    expect(fake.stderr()).toContain(`the server at ${url} answered the stream's upgrade with 404`);
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
