/**
 * Crash-test child: opens a LocalStore at argv[2] and writes forever — breaker
 * records with increasing versions, overrides and audit entries, in turn —
 * printing `ack <kind> <n>` only after each write's promise resolved. The
 * test kills it with SIGKILL at a random ack and checks the store.
 */
import { LocalStore } from '@breakwater/store-local';
import { crashWrite, writeKinds } from './crash-writes';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: node --import tsx write-stream-child.ts <store file>');
  process.exit(2);
}

const store = await LocalStore.open(file);
for (let n = 1; ; n++) {
  const kind = writeKinds[n % writeKinds.length] ?? 'breaker';
  await crashWrite(store, kind, n);
  process.stdout.write(`ack ${kind} ${n}\n`);
}
