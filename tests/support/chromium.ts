import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

// The browser tests and the screenshot script drive Debian's chromium through
// playwright-core. Playwright's own browser download is never used: it needs
// Playwright's CDN and a browser build for this distribution, where Debian's
// package needs neither.

/** Where Debian's `chromium` package puts the browser. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Headless, in a container (no sandbox, no GPU), and quiet: no first-run
 * page, no update, sync or background requests that would show up as
 * network noise or slow a start on a busy machine.
 */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Debian's chromium (each launch gets a fresh temporary profile from Playwright). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] });
}

/** The shell command that installs the browser, run as root. */
export const installCommand =
  'apt-get update && apt-get install -y --no-install-recommends chromium';

/** What the installer reads from and does to the machine (the real one by default). */
export interface InstallerSystem {
  exists(path: string): boolean;
  isRoot(): boolean;
  /** Runs a program with its output shown; true when it exits 0. */
  run(argv: readonly string[]): boolean;
  log(line: string): void;
}

const realSystem: InstallerSystem = {
  exists: existsSync,
  isRoot: () => process.getuid?.() === 0,
  run: ([program, ...args]) =>
    program !== undefined && spawnSync(program, args, { stdio: 'inherit' }).status === 0,
  log: (line) => console.log(line),
};

/**
 * Makes sure Debian's chromium is installed: nothing to do (one `exists`)
 * when it is; otherwise it says so in one line and installs it with apt-get,
 * as root or through `sudo -n`. Throws an error saying what to install when
 * it cannot, or when apt-get fails.
 */
export function ensureChromium(system: InstallerSystem = realSystem): void {
  if (system.exists(chromiumPath)) return;
  const how = `install Debian's chromium (as root: ${installCommand})`;
  // `sudo -n true` succeeds only when sudo needs no password: nobody is there to type one.
  const asRoot = system.isRoot() ? [] : system.run(['sudo', '-n', 'true']) ? ['sudo', '-n'] : null;
  if (asRoot === null) {
    throw new Error(
      `The browser tests need ${chromiumPath}, and this user is not root and cannot use sudo without a password: ${how}`,
    );
  }
  system.log("installing Debian's chromium for the browser tests (apt-get, ~1 min)…");
  const installed = system.run([
    ...asRoot,
    'env',
    'DEBIAN_FRONTEND=noninteractive',
    'sh',
    '-c',
    installCommand,
  ]);
  if (!installed || !system.exists(chromiumPath)) {
    throw new Error(
      `Installing chromium with apt-get failed (see its output above), and the browser tests need ${chromiumPath}: ${how}`,
    );
  }
}
