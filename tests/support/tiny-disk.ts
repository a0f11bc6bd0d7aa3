import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';

// A real full (or read-only) disk for the stores' failure tests: a tmpfs of a
// few hundred kilobytes mounted for the test, which SQLite fills through its
// ordinary write path. Mounting needs root, as the CI machines run: without
// it the suites are skipped with one line of reason, except in CI (CI=true),
// where that is a failure rather than a quietly smaller test run.

export interface TinyDiskAvailability {
  readonly available: boolean;
  /** Why not, when not available. */
  readonly reason?: string;
}

const availability = probe();
let warned = false;

/** Whether a tmpfs can be mounted here. */
export function tinyDiskAvailability(): TinyDiskAvailability {
  return availability;
}

/** A mounted tmpfs: a folder whose disk a test can fill, free and make read-only. */
export interface TinyDisk {
  /** The mount point. */
  readonly folder: string;
  /** A path on the disk. */
  path(name: string): string;
  /** Fills the disk with a filler file, leaving at most `leaveBytes` (rounded down to whole pages) free. */
  fill(leaveBytes?: number): void;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  /** Remounts the disk read-only (refused while a file on it is open for writing). */
  readOnly(): void;
  /** A second, read-only view of the same folder (a bind mount): files written through `folder` are read-only here. */
  readOnlyView(): string;
}

/**
 * `describe(name, fn)` when a tmpfs can be mounted. Otherwise skipped with
 * one warning, or in CI a suite with one failing test that gives the reason.
 */
export function describeWithTinyDisk(name: string, fn: () => void): void {
  const { available, reason } = availability;
  if (available) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a tmpfs mount in CI', () => {
        throw new Error(`Mounting a tmpfs is required in CI (CI=true): ${reason}`);
      });
    });
  } else {
    if (!warned) console.warn(`Skipping full-disk tests: ${reason}`);
    warned = true;
    describe.skip(name, fn);
  }
}

/**
 * A fresh tmpfs of `sizeBytes` per test, unmounted after it (with any read-only
 * view). Returns a function that mounts it.
 */
export function useTinyDisk(sizeBytes: number): () => TinyDisk {
  const mounts: string[] = [];
  const folders: string[] = [];
  afterEach(() => {
    // Views first: they sit on top of the disk's folder.
    for (const mount of mounts.splice(0).reverse()) unmount(mount);
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = mkdtempSync(join(tmpdir(), 'breakwater-tiny-disk-'));
    folders.push(folder);
    mount(['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', folder]);
    mounts.push(folder);
    const filler = join(folder, 'filler');
    return {
      folder,
      path: (name) => join(folder, name),
      fill: (leaveBytes = 0) => fillDisk(filler, leaveBytes, folder),
      free: () => rmSync(filler, { force: true }),
      readOnly: () => mount(['-o', 'remount,ro', folder]),
      readOnlyView() {
        const view = mkdtempSync(join(tmpdir(), 'breakwater-read-only-'));
        folders.push(view);
        mount(['--bind', folder, view]);
        mounts.push(view);
        mount(['-o', 'remount,ro,bind', view]);
        return view;
      },
    };
  };
}

/** Writes to `filler` until the disk has at most `leaveBytes` left: big chunks, then pages. */
function fillDisk(filler: string, leaveBytes: number, folder: string): void {
  const fd = openSync(filler, 'a');
  try {
    for (const size of [65_536, 4_096]) {
      const chunk = Buffer.alloc(size, 0x5a);
      while (freeBytes(folder) >= leaveBytes + size) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

function freeBytes(folder: string): number {
  const stats = statfsSync(folder);
  return stats.bavail * stats.bsize;
}

function mount(args: readonly string[]): void {
  execFileSync('mount', [...args], { stdio: 'pipe' });
}

function unmount(folder: string): void {
  try {
    execFileSync('umount', [folder], { stdio: 'pipe' });
  } catch {
    // Still busy (a test failed before closing its store): detach it now, gone once closed.
    execFileSync('umount', ['-l', folder], { stdio: 'pipe' });
  }
}

function probe(): TinyDiskAvailability {
  if (process.platform !== 'linux') return { available: false, reason: 'tmpfs needs Linux' };
  if (process.getuid?.() !== 0) {
    return { available: false, reason: 'mounting a tmpfs needs root (run the tests as root)' };
  }
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-tiny-disk-probe-'));
  try {
    mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder]);
    unmount(folder);
    return { available: true };
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    return { available: false, reason: `mount -t tmpfs failed: ${detail}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
