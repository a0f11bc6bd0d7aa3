import { type ExitCode, exitCodes } from './exit-codes';
import { type MonitorTarget, routeUrl } from './monitor-target';

/** How long a request may take before the monitor counts as unreachable, ms. */
export const requestTimeoutMs = 10_000;

/** One call of the monitor's HTTP API, with what the messages need to know about it. */
export interface MonitorRequest {
  readonly method: 'GET' | 'POST';
  /** The route under the monitor's base URL, e.g. `api/circuit-breakers/health`. */
  readonly route: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** What the command does, for messages: `list the services`, `reset 'payments'`. */
  readonly doing: string;
  /** The role the route needs: names the token to mint when it is refused. */
  readonly role: 'viewer' | 'admin';
}

/** Why a command could not do its job: the message to print and the exit code. */
export interface Failure {
  readonly exitCode: ExitCode;
  /** One or two sentences for stderr: names the URL, what went wrong and what to do. Never the token. */
  readonly message: string;
  /** The monitor's JSON error body, when it sent one (printed with `--json`). */
  readonly body?: unknown;
}

export type Reply =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly failure: Failure };

interface ErrorBody {
  readonly error: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly service?: unknown;
  };
}

/**
 * Calls the monitor with the target's token as `Authorization: Bearer` and
 * resolves to its JSON body, or to a {@link Failure} for each way it can go
 * wrong: unreachable, token refused, unknown service, an error answer, an
 * answer that is not JSON. Never rejects.
 */
export async function requestMonitor(
  target: MonitorTarget,
  request: MonitorRequest,
): Promise<Reply> {
  const url = routeUrl(target, request.route, request.query);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: target.token === undefined ? {} : { authorization: `Bearer ${target.token}` },
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    return {
      ok: false,
      failure: failure(exitCodes.unreachable, unreachableMessage(target, error)),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    const message = `the server at ${target.shown} answered ${request.method} /${request.route} with ${response.status} and no JSON: is it a Breakwater monitor? (check --url or BREAKWATER_URL)`;
    return { ok: false, failure: failure(exitCodes.failed, message) };
  }
  if (response.ok) return { ok: true, body };
  return { ok: false, failure: { ...failureOf(target, request, response.status, body), body } };
}

/** The message for a request that got no answer at all. */
export function unreachableMessage(target: MonitorTarget, error: unknown): string {
  return `cannot reach the monitor at ${target.shown}: ${networkReason(error)}. Check that it is running ('breakwater serve') and that --url or BREAKWATER_URL points at it.`;
}

function networkReason(error: unknown): string {
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return `no answer within ${requestTimeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  const code = (cause as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing is listening there (connection refused)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name is unknown';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before an answer';
    default:
      // fetch refuses some ports outright (https://fetch.spec.whatwg.org/#port-blocking).
      if ((cause as { message?: unknown } | null)?.message === 'bad port') {
        return 'fetch refuses that port (it is on the list of blocked ports)';
      }
      return typeof code === 'string' ? `the connection failed (${code})` : 'the connection failed';
  }
}

/** Which failure an error answer is, from its status and the body's `error.code`. */
function failureOf(
  target: MonitorTarget,
  request: MonitorRequest,
  status: number,
  body: unknown,
): Failure {
  const error = isErrorBody(body) ? body.error : {};
  const code = typeof error.code === 'string' ? error.code : undefined;
  const serverMessage = typeof error.message === 'string' ? error.message : `status ${status}`;
  const at = `the monitor at ${target.shown}`;
  const mint = `'breakwater token --role ${request.role} --sub NAME'`;
  if (status === 401) {
    const why = code === 'TOKEN_EXPIRED' ? 'it has expired' : lowerFirst(serverMessage);
    return tokenFailure(target, request, why);
  }
  if (status === 403) {
    return failure(
      exitCodes.tokenRefused,
      `${at} refused to ${request.doing}: it needs an admin token and the token given is not one. Mint one with ${mint}.`,
    );
  }
  if (status === 404 && code === 'BW_UNKNOWN_SERVICE') {
    const service = typeof error.service === 'string' ? error.service : '?';
    return failure(
      exitCodes.unknownService,
      `${at} has no service '${service}'. Run 'breakwater status' to list its services.`,
    );
  }
  if (status === 404) {
    return failure(
      exitCodes.failed,
      `the server at ${target.shown} has no route ${request.method} /${request.route}: is it a Breakwater monitor? (check --url or BREAKWATER_URL)`,
    );
  }
  return failure(
    exitCodes.failed,
    `${at} could not ${request.doing}: ${serverMessage} (${status}${code === undefined ? '' : ` ${code}`}).`,
  );
}

/**
 * The monitor refused the token (HTTP 401, WebSocket 4001): without one, says
 * how to pass one; with one, why it was refused. Both say how to mint one.
 */
export function tokenFailure(
  target: MonitorTarget,
  request: Pick<MonitorRequest, 'doing' | 'role'>,
  why: string,
): Failure {
  const at = `the monitor at ${target.shown}`;
  const mint = `'breakwater token --role ${request.role} --sub NAME'`;
  if (target.token === undefined) {
    return failure(
      exitCodes.tokenRefused,
      `${at} needs a token to ${request.doing}: pass --token TOKEN or set BREAKWATER_TOKEN (mint one with ${mint}).`,
    );
  }
  return failure(
    exitCodes.tokenRefused,
    `${at} refused the token (${why}). Use a token signed with the monitor's secret: mint one with ${mint}.`,
  );
}

export function failure(exitCode: ExitCode, message: string): Failure {
  return { exitCode, message };
}

function isErrorBody(body: unknown): body is ErrorBody {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null;
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
