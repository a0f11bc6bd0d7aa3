import { describe, expect, it } from 'vitest';
import { affectedBy } from '../src/demo/cascade';
import { catalogue, type ServiceSpec } from '../src/demo/catalogue';

describe('affectedBy', () => {
  it("follows seed 000's graph downstream, nearest first", () => {
    expect(affectedBy('token-sync', catalogue)).toEqual([
      'market-data',
      'contest-evaluation',
      'contest-wallet',
    ]);
    expect(affectedBy('wallet-generator', catalogue)).toEqual(['vanity-wallet', 'contest-wallet']);
  });

  it('affects nothing when nothing depends on the service', () => {
    expect(affectedBy('contest-wallet', catalogue)).toEqual([]);
    expect(affectedBy('unknown', catalogue)).toEqual([]);
  });

  it('names each service once and stops on a cycle', () => {
    const service = (name: string, dependsOn: string[]): ServiceSpec => ({
      name,
      layer: 'data',
      failureThreshold: 1,
      resetTimeout: 1,
      dependsOn,
    });
    const services = [service('a', ['c']), service('b', ['a']), service('c', ['a', 'b'])];
    expect(affectedBy('a', services)).toEqual(['b', 'c']);
  });
});
