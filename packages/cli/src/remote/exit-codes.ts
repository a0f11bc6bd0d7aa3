/**
 * The exit codes of the commands that talk to a running monitor (`status`,
 * `reset`, `force-open`, `disable`, `release`, `audit`, `watch`). 2 stays
 * the usage error of every `breakwater` command, so an open circuit is 3.
 */
export const exitCodes = Object.freeze({
  /** Done; for `status`, no circuit is open. */
  ok: 0,
  /** The monitor answered with an error of its own (its store is down, it is shutting down) or not like a monitor. */
  failed: 1,
  /** A mistake on the command line. */
  usage: 2,
  /** `status` (and `watch --once`): at least one circuit is open or forced open. */
  circuitOpen: 3,
  /** The monitor refused the token: none given, invalid, expired, or a viewer's for an admin command. */
  tokenRefused: 4,
  /** The monitor has no service of that name. */
  unknownService: 5,
  /** The monitor cannot be reached: nothing listens at the URL, the host is unknown, or no answer in time. */
  unreachable: 6,
} as const);

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The exit-code section of the operator commands' `--help`. */
export const exitCodesHelp = `Exit codes:
  0  done (status: no circuit is open)
  1  the monitor answered with an error (e.g. its store is unavailable)
  2  usage error: an unknown option, a bad value, a missing NAME
  3  status, watch --once: a circuit is open or forced open
  4  the token was refused: missing, invalid, expired, or not an admin's
  5  unknown service
  6  the monitor cannot be reached (not running, wrong --url, no answer in 10 s)
`;
