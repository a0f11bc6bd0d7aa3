import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const coreSources = fileURLToPath(new URL('../packages/core/src', import.meta.url));

/**
 * A short hash of every file under packages/core/src, so a result can be
 * matched to the sources it measured (and a run during which they changed
 * can be spotted) without asking version control.
 */
export function coreFingerprint(): string {
  const hash = createHash('sha256');
  const files = readdirSync(coreSources, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) {
    hash.update(file.slice(coreSources.length));
    hash.update(readFileSync(file));
  }
  return `${hash.digest('hex').slice(0, 12)} (${files.length} files)`;
}
