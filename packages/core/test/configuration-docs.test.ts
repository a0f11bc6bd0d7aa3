import { readFileSync } from 'node:fs';
import { defaultAuditRetention, presetInfo, presets } from '@breakwater/core';
import { describe, expect, it } from 'vitest';

const page = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

/** The part of the page under `heading`, up to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = page.indexOf(`\n${heading}\n`);
  expect(start, `${heading} in docs/configuration.md`).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0] ?? '##';
  const rest = page.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{2,${level.length}} `));
  return next === -1 ? rest : rest.slice(0, next);
}

/** The reasons of the `TransitionReason` union, read from its source. */
function transitionReasons(): string[] {
  const source = readFileSync(new URL('../src/breaker/circuit-state.ts', import.meta.url), 'utf8');
  const union = /export type TransitionReason =([^;]*);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/\|\s*'([a-z-]+)'/g)].map((match) => match[1] ?? '');
}

describe('docs/configuration.md', () => {
  it('lists every transition reason of the TransitionReason union with its cause', () => {
    const reasons = transitionReasons();
    expect(reasons).toContain('restored');
    const table = section('### Transition reasons');
    for (const reason of reasons) expect(table).toMatch(new RegExp(`\\n\\| \`${reason}\` \\|`));
  });

  it("describes every preset in its source's section", () => {
    const sections: Record<string, string> = {
      'DegenDuel fleet': section("### The DegenDuel fleet's presets"),
      'trading API': section("### The trading API's presets"),
      'exchange aggregator': section("### The exchange aggregator's presets"),
      'payment worker': section("### The payment worker's presets"),
    };
    for (const name of Object.keys(presets) as (keyof typeof presets)[]) {
      expect(sections[presetInfo[name].source]).toContain(`\`${name}\``);
    }
  });

  it('speaks of the presets’ sources in words, not document numbers', () => {
    expect(section('## Presets')).not.toMatch(/\bseeds?\b|(?<!\d )\b00[0-4]\b/i);
  });

  it("states the stores' default audit retention", () => {
    const table = section('### Audit retention');
    expect(table).toMatch(
      new RegExp(`\\| \`maxEntries\` \\|[^\\n]*\\| \`${defaultAuditRetention.maxEntries}\` \\|`),
    );
    expect(table).toMatch(
      new RegExp(`\\| \`maxAgeDays\` \\|[^\\n]*\\| \`${defaultAuditRetention.maxAgeDays}\` \\|`),
    );
  });
});
