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
  usage: 'serve --config FILE [--port N] [--host H]',
  summary: "serve a configuration's breakers over HTTP and WebSocket",
};

export const tokenLine: CommandLine = {
  name: 'token',
  usage: 'token --role admin|viewer --sub NAME [--ttl 1h] [--config FILE]',
  summary: 'print a signed token for the API',
};
