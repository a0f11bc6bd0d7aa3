import { parseArgs } from 'node:util';

/** The fleet-size bench's options, from the command line. */
export interface FleetArgs {
  readonly processes: number;
  readonly breakers: number;
  /** Calls per second of each process. */
  readonly rate: number;
  /** The measured steady window, after `warmup` seconds of load. */
  readonly seconds: number;
  readonly warmup: number;
  /** Propagation rounds per way of tripping. */
  readonly rounds: number;
  readonly failureRate: number;
  readonly cluster: boolean;
  /** Whether to write the section into bench/results/fleet-size.md. */
  readonly write: boolean;
}

export function parseFleetArgs(argv: readonly string[]): FleetArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      processes: { type: 'string', default: '16' },
      breakers: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '20' },
      'failure-rate': { type: 'string', default: '0.02' },
      cluster: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const number = (name: keyof typeof values, value: unknown, min: number) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min) {
      throw new RangeError(`--${name} must be a number ≥ ${min}, got ${String(value)}`);
    }
    return parsed;
  };
  return {
    processes: number('processes', values.processes, 2),
    breakers: number('breakers', values.breakers, 1),
    rate: number('rate', values.rate, 0),
    seconds: number('seconds', values.seconds, 1),
    warmup: number('warmup', values.warmup, 0),
    rounds: number('rounds', values.rounds, 1),
    failureRate: number('failure-rate', values['failure-rate'], 0),
    cluster: values.cluster === true,
    write: values['no-write'] !== true,
  };
}
