export type { CliIo, Interrupts } from './cli/cli-io';
export { processIo } from './cli/cli-io';
export type { Command } from './cli/command';
export { runCli, usage } from './cli/run-cli';
export { isUsageError, UsageError } from './cli/usage-error';
export { defaultConfigFile } from './demo/fleet';
export {
  type DemoAttachment,
  type DemoOptions,
  type DemoResult,
  defaultDurationMs,
  runDemo,
} from './demo/run-demo';
export { timeScale } from './demo/time-scale';
