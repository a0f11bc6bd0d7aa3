import type { Command } from '../cli/command';
import type { CommandLine } from '../cli/lazy-command';
import { parseCommandArgs, UsageError } from '../cli/usage-error';
import { exitCodes, exitCodesHelp } from '../remote/exit-codes';
import { requestMonitor } from '../remote/monitor-request';
import { monitorTarget } from '../remote/monitor-target';
import {
  envOf,
  printJson,
  remoteOptions,
  remoteOptionsHelp,
  reportFailure,
} from '../remote/remote-command';
import { createStyle } from '../terminal/style';
import { disableLine, forceOpenLine, releaseLine, resetLine } from './command-lines';

/** The manual actions the monitor offers on one breaker (`POST /api/circuit-breakers/NAME/ACTION`). */
export type ManualAction = 'reset' | 'force-open' | 'disable' | 'release';

/** What each action does, for its `--help`. */
const descriptions: Record<ManualAction, string> = {
  reset: `Closes the circuit of service NAME on a running monitor and forgets its
failures and its recovery backoff: calls go through again at once. Use it
when the dependency is known to be back.`,
  'force-open': `Opens the circuit of service NAME on a running monitor and keeps it open:
every call is rejected at once, without reaching the dependency, until
'breakwater release NAME'. Use it to take a dependency out of service.`,
  disable: `Disables the circuit of service NAME on a running monitor: every call goes
through and no failure opens it, until 'breakwater release NAME'. Use it
when the breaker itself is in the way.`,
  release: `Ends 'force-open' or 'disable' for service NAME on a running monitor: the
circuit closes and counts failures again.`,
};

const lines: Record<ManualAction, CommandLine> = {
  reset: resetLine,
  'force-open': forceOpenLine,
  disable: disableLine,
  release: releaseLine,
};

/** The monitor's answer to a manual action. */
interface ActionJson {
  readonly service: string;
  readonly action: string;
  readonly before: string;
  readonly after: string;
}

/**
 * `breakwater reset|force-open|disable|release NAME`: one audited manual
 * action through the monitor's admin route; prints one line, e.g.
 * `force-open payments: closed → forced-open`.
 */
export function actionCommand(action: ManualAction): Command {
  const line = lines[action];
  const help = `Usage: breakwater ${line.usage}

${descriptions[action]}

Needs an admin token. The monitor records the action in its audit log with
the token's sub as the actor ('breakwater audit' lists it). With --json it
prints the monitor's answer to POST /api/circuit-breakers/NAME/${action}.

Options:
${remoteOptionsHelp}

${exitCodesHelp}`;
  return {
    ...line,
    async run(args, io) {
      const { values, positionals } = parseActionArgs(args, action);
      if (values.help) {
        io.stdout(help);
        return exitCodes.ok;
      }
      const [name, ...extra] = positionals;
      if (name === undefined) throw new UsageError(`missing the service NAME for '${action}'`);
      if (extra.length > 0) {
        throw new UsageError(`'${action}' takes one service NAME, got ${positionals.length}`);
      }
      const json = values.json === true;
      const reply = await requestMonitor(monitorTarget(values, envOf(io)), {
        method: 'POST',
        route: `api/circuit-breakers/${encodeURIComponent(name)}/${action}`,
        doing: `${action} '${name}'`,
        role: 'admin',
      });
      if (!reply.ok) return reportFailure(io, reply.failure, json);
      if (json) {
        printJson(io, reply.body);
        return exitCodes.ok;
      }
      const { service, before, after } = reply.body as ActionJson;
      const style = createStyle(io.color);
      const change = before === after ? `still ${after}` : `${before} → ${style.bold(after)}`;
      io.stdout(`${action} ${service}: ${change}\n`);
      return exitCodes.ok;
    },
  };
}

export const resetCommand = actionCommand('reset');
export const forceOpenCommand = actionCommand('force-open');
export const disableCommand = actionCommand('disable');
export const releaseCommand = actionCommand('release');

function parseActionArgs(args: readonly string[], action: ManualAction) {
  return parseCommandArgs(action, args, { options: remoteOptions, allowPositionals: true });
}
