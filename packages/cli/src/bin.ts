// The `breakwater` command. Sets the exit code and lets the process end by
// itself once nothing is left running: a stray timer would show as a hang.
import { processIo } from './cli/cli-io';
import { runCli } from './cli/run-cli';

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  console.error('breakwater: unexpected error:', error);
  process.exitCode = 1;
}
