import { isConfigFileError, validateConfig } from '@breakwater/config';
import { describe, expect, it } from 'vitest';
import { configErrorOf, parseYaml } from './support/config';

const manyProblems = `services:
  market-data:
    preset: market-data
    failureThreshold: -3
    resetTimout: 1000
  contest-evaluation:
    preset: contest-evaluation
    dependsOn: [market-data, price-feed]
store:
  type: sqlite
server:
  port: -1
auth:
  jwtSecret: do-not-print-me
alerts:
  webhooks:
    - url: mailto:ops@example.com
`;

describe('the file is validated as a whole', () => {
  it('lists every problem, one per line, in file order', () => {
    const error = configErrorOf(() => parseYaml(manyProblems));
    expect(error.message.split('\n')).toEqual([
      'Invalid configuration file /srv/app/breakwater.yaml (7 problems):',
      '  services.market-data.failureThreshold: got -3, expected an integer >= 1 (line 4, column 5)',
      expect.stringMatching(
        /^ {2}services\.market-data\.resetTimout: got 1000, expected one of the keys .*; did you mean 'resetTimeout'\? \(line 5, column 5\)$/,
      ),
      '  services.contest-evaluation.dependsOn[1]: got "price-feed", expected the name of a configured service (line 8, column 30)',
      "  store.type: got \"sqlite\", expected one of 'memory', 'local', 'redis' (line 10, column 3)",
      '  server.port: got -1, expected a TCP port, an integer from 0 to 65535 (line 12, column 3)',
      expect.stringMatching(
        /^ {2}auth\.jwtSecret: got \[redacted\], expected no secret in the file/,
      ),
      '  alerts.webhooks[0].url: got "mailto:ops@example.com", expected an http:// or https:// URL (line 17, column 7)',
    ]);
    expect(error.message).not.toContain('do-not-print-me');
  });

  it('lists several bad options of one service, not only the first', () => {
    const error = configErrorOf(() =>
      parseYaml(
        'services:\n  api:\n    failureThreshold: 0\n    resetTimeout: -5\n    successThreshold: many\n    failureRateThreshold: 2\n',
      ),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'services.api.failureThreshold',
      'services.api.resetTimeout',
      'services.api.successThreshold',
      'services.api.failureRateThreshold',
    ]);
  });

  it('lists problems in several services and the graph together', () => {
    const error = configErrorOf(() =>
      parseYaml(
        'services:\n  a: { dependsOn: [b], timeout: 0 }\n  b: { dependsOn: [a] }\n  c: { dependsOn: [ghost], preset: nope }\n',
      ),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'services.a.dependsOn',
      'services.a.timeout',
      'services.c.dependsOn[0]',
      'services.c.preset',
    ]);
  });

  it('returns nothing when any section is bad, even if the others are fine', () => {
    let result: unknown;
    try {
      result = parseYaml('services:\n  api: { preset: testing }\nalerts:\n  openLongerThan: 10\n');
    } catch (error) {
      expect(isConfigFileError(error)).toBe(true);
    }
    expect(result).toBeUndefined();
  });

  it('validates an object built in code, without positions, and leaves it untouched', () => {
    const input = {
      services: { api: { preset: 'testing', failureThreshold: 0, failureTreshold: 1 } },
      server: { port: 65_536 },
    };
    const snapshot = structuredClone(input);
    const error = configErrorOf(() => validateConfig(input, 'inline.yaml'));
    expect(error.file).toBe('inline.yaml');
    expect(error.issues).toEqual([
      { path: 'services.api.failureTreshold', value: 1, expected: expect.any(String) },
      { path: 'services.api.failureThreshold', value: 0, expected: 'an integer >= 1' },
      { path: 'server.port', value: 65_536, expected: 'a TCP port, an integer from 0 to 65535' },
    ]);
    expect(input).toEqual(snapshot);
  });

  it('accepts an object built in code', () => {
    const config = validateConfig(
      { services: { api: { preset: 'testing' } } },
      '/etc/bw/config.json',
    );
    expect(config.store).toEqual({ type: 'local', path: '/etc/bw/breakwater.db' });
  });
});
