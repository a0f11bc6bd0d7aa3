import { describe, expect, it } from 'vitest';
import { chromiumPath, ensureChromium, type InstallerSystem } from '../support/chromium';

// The installer's decisions, on a scripted machine: the real apt-get is run
// by the browser tests' global setup only when chromium is missing.

interface Machine {
  installed: boolean;
  root: boolean;
  /** Whether `sudo -n` works (sudo installed, no password needed). */
  sudo: boolean;
  /** Whether the apt-get command line succeeds (and installs chromium). */
  aptWorks: boolean;
}

function scripted(machine: Machine) {
  const ran: string[] = [];
  const logged: string[] = [];
  const system: InstallerSystem = {
    exists: (path) => path === chromiumPath && machine.installed,
    isRoot: () => machine.root,
    run(argv) {
      ran.push(argv.join(' '));
      if (argv[0] === 'sudo' && !machine.sudo) return false;
      if (argv.join(' ') === 'sudo -n true') return true;
      if (machine.aptWorks) machine.installed = true;
      return machine.aptWorks;
    },
    log: (line) => logged.push(line),
  };
  return { system, ran, logged };
}

const apt =
  'env DEBIAN_FRONTEND=noninteractive sh -c apt-get update && apt-get install -y --no-install-recommends chromium';

describe('ensureChromium', () => {
  it('does nothing when chromium is installed', () => {
    const { system, ran, logged } = scripted({
      installed: true,
      root: false,
      sudo: false,
      aptWorks: false,
    });
    ensureChromium(system);
    expect(ran).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('installs it with apt-get as root, saying so in one line', () => {
    const { system, ran, logged } = scripted({
      installed: false,
      root: true,
      sudo: false,
      aptWorks: true,
    });
    ensureChromium(system);
    expect(ran).toEqual([apt]);
    expect(logged).toEqual([
      "installing Debian's chromium for the browser tests (apt-get, ~1 min)…",
    ]);
  });

  it('installs it through sudo -n when not root', () => {
    const { system, ran } = scripted({ installed: false, root: false, sudo: true, aptWorks: true });
    ensureChromium(system);
    expect(ran).toEqual(['sudo -n true', `sudo -n ${apt}`]);
  });

  it('fails saying what to install when it is neither root nor allowed sudo', () => {
    const { system, ran } = scripted({
      installed: false,
      root: false,
      sudo: false,
      aptWorks: true,
    });
    expect(() => ensureChromium(system)).toThrow(
      /not root and cannot use sudo without a password: install Debian's chromium \(as root: apt-get update && apt-get install -y --no-install-recommends chromium\)/,
    );
    expect(ran).toEqual(['sudo -n true']);
  });

  it('fails saying what to install when apt-get fails', () => {
    const { system } = scripted({ installed: false, root: true, sudo: false, aptWorks: false });
    expect(() => ensureChromium(system)).toThrow(
      /Installing chromium with apt-get failed .*install Debian's chromium/,
    );
  });
});
