import { count, ns, times } from '../format';
import type { Block } from '../report';
import type { SharedMode } from './shared-mode';

export const sharedTitle = '6. Shared mode (Redis)';

/** The report's shared-mode section. */
export function sharedBlocks(shared: SharedMode): Block[] {
  if (shared.kind === 'skipped') {
    return [
      { kind: 'heading', text: sharedTitle },
      { kind: 'text', text: `Skipped: ${shared.reason}.` },
    ];
  }
  const { closedCalls, commands, propagation } = shared;
  const spread = ({ p25, p75, median }: { p25: number; p75: number; median: number }) =>
    `${p25.toFixed(1)}–${p75.toFixed(1)} (±${((50 * (p75 - p25)) / median).toFixed(1)}%)`;
  return [
    { kind: 'heading', text: sharedTitle },
    {
      kind: 'text',
      text: `A private \`redis-server\` on loopback, started for this section. Shared registries use \`RedisStore\` defaults (flushInterval ${commands.flushInterval} ms) and the policy above; each shared instance has its own two connections.`,
    },
    {
      kind: 'text',
      text: `Closed-call cost: scenario 1's loop (\`await breaker.execute(fn)\`, every call succeeds) on a registry over a MemoryStore and on a shared one, interleaved. Sample: ${closedCalls.plan.ops.toLocaleString('en-US')} sequential calls; ${closedCalls.plan.rounds} rounds. Counts leave a shared instance from an unref'd ticker, off the call path.`,
    },
    {
      kind: 'table',
      table: {
        headers: ['registry', 'ns/call (median)', 'spread (p25–p75)', '× local'],
        rows: [
          ['local (MemoryStore)', ns(closedCalls.local.median), spread(closedCalls.local), '1.00×'],
          [
            'shared (RedisStore, shared: true)',
            ns(closedCalls.shared.median),
            spread(closedCalls.shared),
            times(closedCalls.ratio),
          ],
        ],
      },
    },
    {
      kind: 'text',
      text: `Redis commands: one shared instance runs ${count(commands.rate)} calls/s for each load (the calls due every 5 ms, then a timer turn), then \`flush()\`; commands counted with INFO commandstats on the private server (the INFO calls left out). INFO also counts the commands a script runs inside Redis (HSET, HINCRBY… here); the script calls (EVALSHA) are the flushes the instance sent, one per flush, every \`flushInterval\` while there are counts to send, and at once after every \`flushBatchSize\` (20) failures.`,
    },
    {
      kind: 'table',
      table: {
        headers: [
          'load',
          'calls',
          'time',
          'commands (INFO)',
          'by command',
          'per 1,000 calls',
          'per second',
          'script calls',
          'script calls per 1,000 calls',
        ],
        rows: commands.loads.map((load) => [
          load.label,
          count(load.calls),
          `${load.seconds.toFixed(2)} s`,
          count(load.total),
          Object.entries(load.commands)
            .map(([name, calls]) => `${name} ${calls}`)
            .join(', ') || '—',
          load.perThousandCalls.toFixed(2),
          load.perSecond.toFixed(1),
          count(load.scriptCalls),
          load.scriptCallsPerThousand.toFixed(2),
        ]),
      },
    },
    {
      kind: 'text',
      text: `Open propagation: ${propagation.instances} worker processes share one breaker; each round one of them (in turn) opens it and every process stamps its stateChange event with \`performance.timeOrigin + performance.now()\`. Latency: another instance's stamp minus the tripping instance's (write script, PUBLISH, delivery, adoption). The circuit is closed again between rounds.`,
    },
    {
      kind: 'table',
      table: {
        headers: ['tripped by', 'rounds', 'samples', 'p50', 'p99', 'max'],
        rows: propagation.rows.map((row) => [
          row.trip === 'forceOpen' ? 'registry.forceOpen()' : 'failing calls (local trip)',
          count(row.rounds),
          count(row.samples),
          ms(row.p50),
          ms(row.p99),
          ms(row.max),
        ]),
      },
    },
  ];
}

export function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
