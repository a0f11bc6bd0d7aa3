import { parseArgs } from 'node:util';
import { loadConfig } from '@breakwater/config';
import { isBreakwaterError, isConfigError } from '@breakwater/core';
import {
  type AuthSettings,
  defaultMaxTokenLifetime,
  isAuthSetupError,
  type Role,
  signToken,
} from '@breakwater/server';
import type { Command } from '../cli/command';
import { asUsageError, UsageError } from '../cli/usage-error';
import { tokenLine } from './command-lines';

const { usage } = tokenLine;

const help = `Usage: breakwater ${usage}

Prints a signed token (HS256) for the monitor's API and WebSocket stream,
e.g. curl -H "Authorization: Bearer $(breakwater token --role viewer --sub me)".
The secret is read from the environment variable named by the configuration's
auth.jwtSecretEnv (default BREAKWATER_JWT_SECRET).

Every token expires. The server refuses one that lives longer than its
auth.maxTokenLifetime (default ${defaultMaxTokenLifetime / 3_600_000}h), so this command does too.

Options:
  --role ROLE        admin (may reset and steer breakers) or viewer (read only)
  --sub NAME         who the token is for: the actor in the audit log
  --expires-in SPAN  lifetime: seconds, or a number with s, m, h, d or w (default 1h)
  --ttl SPAN         the same as --expires-in
  --config FILE      the configuration whose auth settings apply
  -h, --help         show this help
`;

const roles: readonly Role[] = ['admin', 'viewer'];

/** `breakwater token`: mints a token, so a new user can try the API. */
export const tokenCommand: Command = {
  ...tokenLine,
  async run(args, io) {
    const values = parseTokenArgs(args);
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    const role = values.role;
    if (role === undefined) throw new UsageError("missing --role admin|viewer for 'token'");
    if (!isRole(role)) throw new UsageError(`--role must be admin or viewer, got '${role}'`);
    const sub = values.sub?.trim();
    if (sub === undefined || sub === '') throw new UsageError("missing --sub NAME for 'token'");
    if (values['expires-in'] !== undefined && values.ttl !== undefined)
      throw new UsageError("give --expires-in or --ttl, not both, for 'token'");
    const lifetime = values['expires-in'] ?? values.ttl ?? '1h';
    const ttl = parseTtl(lifetime);

    let auth: AuthSettings = { algorithm: 'HS256' };
    if (values.config !== undefined) {
      try {
        auth = (await loadConfig(values.config)).auth;
      } catch (error) {
        if (!isBreakwaterError(error)) throw error;
        io.stderr(`breakwater: ${error.message}\n`);
        return 1;
      }
    }
    try {
      io.stdout(`${await signToken({ sub, role, ttl }, auth, io.env ?? process.env)}\n`);
      return 0;
    } catch (error) {
      if (isConfigError(error) && error.option === 'ttl') {
        throw new UsageError(
          `--expires-in ${lifetime} is too long: ${error.expected}; give a shorter one, or raise auth.maxTokenLifetime in the configuration`,
        );
      }
      if (!isAuthSetupError(error)) throw error;
      io.stderr(`breakwater: ${error.message}\n`);
      return 1;
    }
  },
};

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** `--expires-in`: whole seconds, or a whole number of s, m, h, d or w. */
function parseTtl(text: string): number | string {
  const match = /^(\d+)([smhdw]?)$/.exec(text.trim());
  const amount = Number(match?.[1]);
  if (match === null || !(amount > 0)) {
    throw new UsageError(
      `--expires-in must be a lifetime such as 3600, 30m, 1h or 12h, got '${text}'`,
    );
  }
  return match[2] === '' ? amount : `${amount}${match[2]}`;
}

function parseTokenArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        'expires-in': { type: 'string' },
        ttl: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw asUsageError(error, 'token');
  }
}
