import { describe, expect, it } from 'vitest';
import { tempStores } from './support/demo-run';
import { type Exit, runNode } from './support/run-node';

/** Runs `node <args>` at the repo root with colour off. */
function node(args: readonly string[], onStdout?: Parameters<typeof runNode>[2]): Promise<Exit> {
  return runNode(args, { ...process.env, NO_COLOR: '1' }, onStdout);
}

const bin = ['--conditions=@breakwater/source', '--import', 'tsx', 'packages/cli/src/bin.ts'];
const newStore = tempStores();

describe('the breakwater process', () => {
  it('rejects an unknown command with exit code 2 and names it', async () => {
    const exit = await node([...bin, 'nope']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("breakwater: unknown command 'nope'");
    expect(exit.stderr).toContain('Usage: breakwater <command>');
  });

  it('runs through the bin/breakwater.js shim', async () => {
    const exit = await node(['packages/cli/bin/breakwater.js', '--help']);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toContain('Usage: breakwater <command> [options]');
  });

  it('ends a real demo by itself after --duration, with exit code 0', async () => {
    const exit = await node([...bin, 'demo', '--duration', '0.5', '--store', newStore()]);
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toContain('demo over after 0.5s');
  });

  it('restores in a second real run what the first one left in the store', async () => {
    const store = newStore();
    const first = await node([...bin, 'demo', '--duration', '2', '--store', store]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).not.toContain('Restored from');
    const second = await node([...bin, 'demo', '--duration', '0.5', '--store', store]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain(`Restored from ${store} (saved by the last run):`);
    expect(second.stdout).toMatch(/\n {2}vanity-wallet\s+open\s+9\s+/);
  });

  it('stops a real demo on SIGINT with the summary and exit code 0', async () => {
    let sent = false;
    const store = newStore();
    const exit = await node([...bin, 'demo', '--store', store], (stdout, child) => {
      if (!sent && /vanity-wallet\s+closed → open/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toContain('demo interrupted after');
    expect(exit.stdout).toContain('calls:');
    // The registry was closed and its store saved on the way out.
    const again = await node([...bin, 'demo', '--duration', '0.1', '--store', store]);
    expect(again.stdout).toContain(`Restored from ${store}`);
    expect(again.stdout).toMatch(/\n {2}vanity-wallet\s+open\s+/);
  });
});
