import {
  auditLine,
  demoLine,
  disableLine,
  forceOpenLine,
  releaseLine,
  resetLine,
  serveLine,
  statusLine,
  tokenLine,
  watchLine,
} from '../commands/command-lines';
import type { CliIo } from './cli-io';
import type { Command } from './command';
import { lazyCommand } from './lazy-command';
import { isUsageError } from './usage-error';

/** Every command, in the order `help` lists them, each loaded when it runs. */
const commands: readonly Command[] = [
  lazyCommand(demoLine, async () => (await import('../commands/demo-command')).demoCommand),
  lazyCommand(serveLine, async () => (await import('../commands/serve-command')).serveCommand),
  lazyCommand(tokenLine, async () => (await import('../commands/token-command')).tokenCommand),
  lazyCommand(statusLine, async () => (await import('../commands/status-command')).statusCommand),
  lazyCommand(watchLine, async () => (await import('../commands/watch-command')).watchCommand),
  lazyCommand(resetLine, async () => (await import('../commands/action-command')).resetCommand),
  lazyCommand(
    forceOpenLine,
    async () => (await import('../commands/action-command')).forceOpenCommand,
  ),
  lazyCommand(disableLine, async () => (await import('../commands/action-command')).disableCommand),
  lazyCommand(releaseLine, async () => (await import('../commands/action-command')).releaseCommand),
  lazyCommand(auditLine, async () => (await import('../commands/audit-command')).auditCommand),
];

const helpNames = new Set(['help', '--help', '-h']);

/** The general help text. */
export function usage(): string {
  const width = Math.max(...commands.map((command) => command.usage.length), 4) + 2;
  const lines = commands.map((command) => `  ${command.usage.padEnd(width)}${command.summary}`);
  return `Usage: breakwater <command> [options]

Commands:
${lines.join('\n')}
  ${'help'.padEnd(width)}show this help

Run 'breakwater <command> --help' for a command's options and exit codes.
status, watch, reset, force-open, disable, release and audit talk to a running
monitor: --url (env BREAKWATER_URL, default http://127.0.0.1:8080) and --token
(env BREAKWATER_TOKEN).
`;
}

/**
 * Runs `breakwater <argv>` and resolves to the exit code: 0 on success, 2
 * for a usage error (unknown command or option, bad value), which is
 * printed to stderr with the usage.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name !== undefined && helpNames.has(name)) {
    io.stdout(usage());
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    const problem =
      name === undefined
        ? 'missing command'
        : name.startsWith('-')
          ? `unknown option '${name}' (expected a command first)`
          : `unknown command '${name}'`;
    io.stderr(`breakwater: ${problem}\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    io.stderr(
      `breakwater: ${error.message}\n\nUsage: breakwater ${command.usage}\nRun 'breakwater ${command.name} --help' for details.\n`,
    );
    return 2;
  }
}
