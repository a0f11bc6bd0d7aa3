import type { AuditEntry } from '@breakwater/core';
import type { Command } from '../cli/command';
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
import { auditLine } from './command-lines';

/** Entries shown without `--limit`. */
const defaultLimit = 20;
/** The most the monitor returns at once. */
const maxLimit = 10_000;

const help = `Usage: breakwater ${auditLine.usage}

Lists the audit log of a running monitor, newest first: when, who (the
token's sub and role), the action (reset, reset-all, force-open, disable,
release, configure), the service, what changed, and whether it was refused.

Needs an admin token. With --json it prints the monitor's answer to
GET /api/audit. When the page is full, its last line names the --before
that lists the entries older than it.

Options:
  --service NAME  only the entries for NAME (and those for every service)
  --limit N       how many entries, 1 to ${maxLimit} (default ${defaultLimit})
  --before ID     only the entries older than the one with this id: the
                  next page, with the same --service and --limit
${remoteOptionsHelp}

${exitCodesHelp}`;

/** One audit entry as `GET /api/audit` answers it: the registry's entry as JSON. */
type AuditEntryJson = AuditEntry;

/** `breakwater audit`: who did what to which breaker. */
export const auditCommand: Command = {
  ...auditLine,
  async run(args, io) {
    const values = parseAuditArgs(args);
    if (values.help) {
      io.stdout(help);
      return exitCodes.ok;
    }
    const limit = values.limit === undefined ? defaultLimit : parseLimit(values.limit);
    const before = values.before === undefined ? undefined : parseBefore(values.before);
    const service = values.service?.trim() || undefined;
    const json = values.json === true;
    const reply = await requestMonitor(monitorTarget(values, envOf(io)), {
      method: 'GET',
      route: 'api/audit',
      query: { service, limit: String(limit), before: before?.toString() },
      doing: 'read the audit log',
      role: 'admin',
    });
    if (!reply.ok) return reportFailure(io, reply.failure, json);
    if (json) {
      printJson(io, reply.body);
      return exitCodes.ok;
    }
    const { entries } = reply.body as { entries: readonly AuditEntryJson[] };
    const lines =
      entries.length === 0 ? [nothingListed(service, before)] : auditLines(entries, io.color);
    const last = entries.at(-1);
    // A full page may have older entries; the lines show no ids, so name the next page's.
    if (last !== undefined && entries.length === limit) {
      lines.push(createStyle(io.color).dim(`older entries: add --before ${last.id}`));
    }
    io.stdout(`${lines.join('\n')}\n`);
    return exitCodes.ok;
  },
};

function nothingListed(service: string | undefined, before: number | undefined): string {
  const which = before === undefined ? 'audit entries' : `audit entries older than ${before}`;
  return service === undefined ? `no ${which}` : `no ${which} for '${service}'`;
}

/** One aligned line per entry, in the order given (the monitor's: newest first). */
function auditLines(entries: readonly AuditEntryJson[], color: boolean): string[] {
  const style = createStyle(color);
  const cells = entries.map((entry) => [
    entry.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    `${entry.actor.id} (${entry.actor.role})`,
    entry.action,
    entry.target,
    change(entry),
  ]);
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...cells.map((line) => line[column]?.length ?? 0)),
  );
  return cells.map((line, index) => {
    const outcome = entries[index]?.outcome ?? 'ok';
    const text = line
      .map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell))
      .join('  ')
      .trimEnd();
    return outcome === 'ok' ? text : `${text}  ${style.red(outcome)}`;
  });
}

/** What an entry changed: states for the manual actions, the options for `configure`, counts for `refuse-access`. */
function change({ action, before, after }: AuditEntryJson): string {
  // The monitor's summary of what its rate limits refused in a minute.
  if (action === 'refuse-access' && isRecord(after)) {
    return `${show(after.refused)} requests refused from ${show(after.clients)} clients (--json names them)`;
  }
  if (typeof before === 'string' || typeof after === 'string') {
    return `${String(before ?? '-')} → ${String(after ?? '-')}`;
  }
  if (!isRecord(before) || !isRecord(after)) return '';
  // reset-all: a state per service; configure: an option per name. Show what differs.
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  if (changed.length === 0) return 'no change';
  return changed.map((key) => `${key} ${show(before[key])} → ${show(after[key])}`).join(', ');
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '-');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseLimit(text: string): number {
  const limit = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= maxLimit)) {
    throw new UsageError(`--limit must be a whole number from 1 to ${maxLimit}, got '${text}'`);
  }
  return limit;
}

function parseBefore(text: string): number {
  const id = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(Number.isSafeInteger(id) && id >= 1)) {
    throw new UsageError(
      `--before must be an audit entry's id, a whole number from 1, got '${text}'`,
    );
  }
  return id;
}

function parseAuditArgs(args: readonly string[]) {
  return parseCommandArgs('audit', args, {
    options: {
      ...remoteOptions,
      service: { type: 'string' },
      limit: { type: 'string' },
      before: { type: 'string' },
    },
    allowPositionals: false,
  }).values;
}
