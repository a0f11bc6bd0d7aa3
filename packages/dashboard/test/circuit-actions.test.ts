import { circuitPhases } from '@breakwater/protocol';
import { describe, expect, it } from 'vitest';
import {
  actionPath,
  circuitActionNames,
  circuitActions,
  describeActionResult,
} from '../app/controls/circuit-actions';

describe('circuit actions', () => {
  it('have the pinned button names', () => {
    expect(circuitActionNames.map((action) => circuitActions[action].label)).toEqual([
      'Reset',
      'Force open',
      'Disable',
      'Release',
    ]);
  });

  it('say which service each one acts on before it is confirmed', () => {
    for (const action of circuitActionNames) {
      expect(circuitActions[action].consequence('payments-api')).toContain('payments-api');
    }
  });

  it('offer Release only to a circuit under manual control, and no action that changes nothing', () => {
    const offered = (phase: (typeof circuitPhases)[number]) =>
      circuitActionNames.filter((action) => circuitActions[action].availableIn(phase));
    expect(offered('closed')).toEqual(['reset', 'force-open', 'disable']);
    expect(offered('open')).toEqual(['reset', 'force-open', 'disable']);
    expect(offered('half-open')).toEqual(['reset', 'force-open', 'disable']);
    expect(offered('forced-open')).toEqual(['reset', 'disable', 'release']);
    expect(offered('disabled')).toEqual(['reset', 'force-open', 'release']);
    expect(circuitPhases).toHaveLength(5); // a new phase needs a decision here
  });

  it('post to the route of the service, its name encoded', () => {
    expect(actionPath('payments/eu', 'force-open')).toBe(
      '/api/circuit-breakers/payments%2Feu/force-open',
    );
  });

  it('describe the outcome as the state change', () => {
    expect(
      describeActionResult({
        service: 'db',
        action: 'reset',
        before: 'forced-open',
        after: 'closed',
      }),
    ).toBe('db: forced-open → closed');
    expect(
      describeActionResult({ service: 'db', action: 'reset', before: 'closed', after: 'closed' }),
    ).toBe('db: reset done, still closed');
  });
});
