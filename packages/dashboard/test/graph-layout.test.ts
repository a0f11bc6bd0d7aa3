import { describe, expect, it } from 'vitest';
import { type LayoutEdge, layoutGraph, nodeSize } from '../app/graph/layout';

/** The services and dependencies of a fleet in four layers, as the demo's. */
const ids = [
  'market-data',
  'token-sync',
  'token-whitelist',
  'contest-evaluation',
  'achievement',
  'referral',
  'contest-wallet',
  'vanity-wallet',
  'wallet-rake',
  'admin-wallet',
  'faucet',
  'wallet-generator',
];
const edges: LayoutEdge[] = [
  { dependent: 'token-whitelist', dependency: 'token-sync' },
  { dependent: 'token-sync', dependency: 'market-data' },
  { dependent: 'contest-evaluation', dependency: 'market-data' },
  { dependent: 'contest-evaluation', dependency: 'contest-wallet' },
  { dependent: 'achievement', dependency: 'contest-evaluation' },
  { dependent: 'referral', dependency: 'achievement' },
  { dependent: 'contest-wallet', dependency: 'wallet-generator' },
  { dependent: 'vanity-wallet', dependency: 'wallet-generator' },
  { dependent: 'wallet-rake', dependency: 'contest-wallet' },
  { dependent: 'admin-wallet', dependency: 'contest-wallet' },
  { dependent: 'faucet', dependency: 'wallet-generator' },
];

function overlap(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return (
    a.x < b.x + nodeSize.width &&
    b.x < a.x + nodeSize.width &&
    a.y < b.y + nodeSize.height &&
    b.y < a.y + nodeSize.height
  );
}

describe('layoutGraph', () => {
  const positions = layoutGraph(ids, edges);

  it('places every service', () => {
    expect([...positions.keys()].sort()).toEqual([...ids].sort());
    for (const { x, y } of positions.values()) {
      expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
    }
  });

  it('never lets two nodes overlap', () => {
    const placed = [...positions.values()];
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        expect(overlap(placed[i] ?? { x: 0, y: 0 }, placed[j] ?? { x: 0, y: 0 })).toBe(false);
      }
    }
  });

  it('puts each dependency below its dependents, clear of them', () => {
    for (const { dependent, dependency } of edges) {
      const above = positions.get(dependent);
      const below = positions.get(dependency);
      expect(below && above && below.y >= above.y + nodeSize.height).toBe(true);
    }
  });

  it('places a chain one row per step, and gives corners with the node size', () => {
    const chain = layoutGraph(
      ['web', 'api', 'db'],
      [
        { dependent: 'web', dependency: 'api' },
        { dependent: 'api', dependency: 'db' },
      ],
      { width: 100, height: 40 },
    );
    const rows = ['web', 'api', 'db'].map((id) => chain.get(id)?.y ?? Number.NaN);
    expect(rows[0]).toBeLessThan(rows[1] ?? 0);
    expect(rows[1]).toBeLessThan(rows[2] ?? 0);
    // One column: the same x for each (top-left corners of equal boxes).
    expect(new Set(['web', 'api', 'db'].map((id) => chain.get(id)?.x)).size).toBe(1);
    expect(Math.min(...rows)).toBeGreaterThanOrEqual(0);
  });

  it('ignores an edge to an unknown service and one to itself', () => {
    const placed = layoutGraph(
      ['a', 'b'],
      [
        { dependent: 'a', dependency: 'ghost' },
        { dependent: 'b', dependency: 'b' },
      ],
    );
    expect([...placed.keys()].sort()).toEqual(['a', 'b']);
    const [a, b] = [placed.get('a'), placed.get('b')];
    // No edge between them: side by side in one row.
    expect(a?.y).toBe(b?.y);
    expect(a && b && !overlap(a, b)).toBe(true);
  });

  it('lays out nothing for no services', () => {
    expect(layoutGraph([], []).size).toBe(0);
  });
});
