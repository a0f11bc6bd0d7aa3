import type { CommandLine } from '../cli/lazy-command';

// Each command's name, usage line and summary, apart from its module so that
// listing the commands loads none of them.

export const demoLine: CommandLine = {
  name: 'demo',
  usage:
    'demo [--duration SECONDS] [--config FILE] [--store FILE] [--fresh] [--redis URL] [--port N] [--no-color]',
  summary: "the DegenDuel fleet's services through injected outages, in the terminal",
};

export const serveLine: CommandLine = {
  name: 'serve',
  usage: 'serve --config FILE [--port N] [--host H] [--no-dashboard]',
  summary: "serve a configuration's breakers over HTTP and WebSocket",
};

export const tokenLine: CommandLine = {
  name: 'token',
  usage: 'token --role admin|viewer --sub NAME [--expires-in 1h] [--config FILE]',
  summary: 'print a signed token for the API',
};

export const statusLine: CommandLine = {
  name: 'status',
  usage: 'status [NAME] [--url URL] [--token TOKEN] [--json]',
  summary: "a monitor's services and circuits; exits 3 while one is open",
};

export const resetLine: CommandLine = {
  name: 'reset',
  usage: 'reset NAME [--url URL] [--token TOKEN] [--json]',
  summary: "close a service's circuit and forget its failures (admin)",
};

export const forceOpenLine: CommandLine = {
  name: 'force-open',
  usage: 'force-open NAME [--url URL] [--token TOKEN] [--json]',
  summary: 'reject every call to a service until released (admin)',
};

export const disableLine: CommandLine = {
  name: 'disable',
  usage: 'disable NAME [--url URL] [--token TOKEN] [--json]',
  summary: 'let every call through without tripping until released (admin)',
};

export const releaseLine: CommandLine = {
  name: 'release',
  usage: 'release NAME [--url URL] [--token TOKEN] [--json]',
  summary: 'end force-open or disable: the circuit works again (admin)',
};

export const auditLine: CommandLine = {
  name: 'audit',
  usage: 'audit [--service NAME] [--limit N] [--before ID] [--url URL] [--token TOKEN] [--json]',
  summary: "a monitor's audit log, newest first (admin)",
};

export const watchLine: CommandLine = {
  name: 'watch',
  usage: 'watch [--once] [--url URL] [--token TOKEN] [--json] [--no-color]',
  summary: "a monitor's services live, redrawn on every update",
};
