import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '@breakwater/store-local';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crashAudit,
  crashBreaker,
  crashOverride,
  crashRecord,
  crashService,
  type WriteKind,
} from './crash-writes';

/** How many times a child is killed mid-stream (env CRASH_RUNS, default 25). */
const runs = Number(process.env.CRASH_RUNS ?? 25);
const child = fileURLToPath(new URL('./write-stream-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** What the child acknowledged before it died: the last write of each kind, and every audit entry. */
interface Acks {
  count: number;
  lastBreaker: number;
  lastOverride: number;
  audits: number[];
}

describe('LocalStore killed with SIGKILL in the middle of a stream of writes', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'breakwater-crash-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it(`reopens intact with every acknowledged write, ${runs} kills out of ${runs}`, {
    timeout: 10_000 + runs * 4_000,
  }, async () => {
    const started = performance.now();
    let checked = 0;
    for (let run = 1; run <= runs; run++) {
      const file = join(directory, `run-${run}.db`);
      const killAt = 5 + Math.floor(Math.random() * 296); // 5..300 acks
      const acks = await killAfterAcks(file, killAt);
      const context = `run ${run}, killed after ${killAt} acks (${acks.count} read)`;
      expect(acks.count, context).toBeGreaterThanOrEqual(killAt);
      await expectAcknowledgedWrites(file, acks, context);
      checked += acks.count;
    }
    // The figure docs/reliability.md quotes: reaching this line means none was lost.
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `crash test: ${runs} SIGKILLs, ${checked} acknowledged writes checked, 0 lost, ${seconds} s`,
    );
  });
});

/** Runs the child on `file`, kills it with SIGKILL once `killAt` acks arrived, returns every ack read. */
function killAfterAcks(file: string, killAt: number): Promise<Acks> {
  const acks: Acks = { count: 0, lastBreaker: 0, lastOverride: 0, audits: [] };
  const writer = spawn(
    process.execPath,
    ['--conditions=@breakwater/source', '--import', 'tsx', child, file],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let pending = '';
  writer.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  writer.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) readAck(acks, line);
    if (acks.count >= killAt) kill(writer);
  });
  return new Promise((resolve, reject) => {
    writer.on('error', reject);
    // 'close': the process is gone and its stdout drained, so every ack it printed was read.
    writer.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`the child exited by itself (code ${code}): ${stderr}`));
    });
  });
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function readAck(acks: Acks, line: string): void {
  const match = /^ack (breaker|override|audit) (\d+)$/.exec(line);
  if (match === null) throw new Error(`unexpected line from the child: ${line}`);
  const kind = match[1] as WriteKind;
  const n = Number(match[2]);
  acks.count++;
  if (kind === 'breaker') acks.lastBreaker = n;
  else if (kind === 'override') acks.lastOverride = n;
  else acks.audits.push(n);
}

async function expectAcknowledgedWrites(file: string, acks: Acks, context: string): Promise<void> {
  const store = await LocalStore.open(file);
  const check = new Database(file, { readonly: true });
  try {
    expect(check.pragma('integrity_check', { simple: true }), context).toBe('ok');

    const [breaker] = await store.loadBreakers();
    if (acks.lastBreaker > 0) {
      expect(breaker?.version, context).toBeGreaterThanOrEqual(acks.lastBreaker);
      // Whatever version survived, it is a whole record as written.
      expect(breaker, context).toEqual(crashRecord(breaker?.version ?? -1));
      expect(breaker?.name).toBe(crashBreaker);
    }

    const override = (await store.loadOverrides())[crashService];
    if (acks.lastOverride > 0) {
      const n = override?.failureThreshold ?? 0;
      expect(n, context).toBeGreaterThanOrEqual(acks.lastOverride);
      expect(override, context).toEqual(crashOverride(n));
    }

    const entries = await store.queryAudit({ limit: 10_000 });
    const stored = new Map(entries.map((entry) => [(entry.after as { n: number }).n, entry]));
    for (const n of acks.audits) {
      expect(stored.get(n), `${context}: audit entry ${n}`).toMatchObject(crashAudit(n));
    }
    const ids = entries.map((entry) => entry.id).reverse();
    expect(ids, `${context}: audit ids without gaps`).toEqual(ids.map((_, index) => index + 1));
  } finally {
    check.close();
    await store.close();
  }
}
