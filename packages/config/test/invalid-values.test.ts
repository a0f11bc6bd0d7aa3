import { describe, expect, it } from 'vitest';
import { configErrorOf, issuesOf, parseYaml, withOneService } from './support/config';

describe('a bad value is reported with its path, the value and what was expected', () => {
  it('names a bad breaker option with the line it is on', () => {
    const error = configErrorOf(() =>
      parseYaml('services:\n  market-data:\n    preset: market-data\n    failureThreshold: -3\n'),
    );
    expect(error.issues).toEqual([
      {
        path: 'services.market-data.failureThreshold',
        value: -3,
        expected: 'an integer >= 1',
        line: 4,
        column: 5,
      },
    ]);
    expect(error.message).toContain(
      'services.market-data.failureThreshold: got -3, expected an integer >= 1 (line 4, column 5)',
    );
  });

  it('names a bad nested option', () => {
    const issues = issuesOf('services:\n  api:\n    slidingWindow: { type: ring, size: 10 }\n');
    expect(issues.get('services.api.slidingWindow.type')).toMatchObject({
      value: 'ring',
      expected: "'count' or 'time'",
    });
  });

  it('names an option that conflicts with the preset, and still checks the others', () => {
    const issues = issuesOf(
      'services:\n  api:\n    preset: trading-default\n    slidingWindow: { type: count, size: 5 }\n    resetTimeout: fast\n',
    );
    expect(issues.get('services.api.minimumCalls')?.expected).toMatch(
      /at most slidingWindow\.size \(5\)/,
    );
    expect(issues.get('services.api.resetTimeout')).toMatchObject({ value: 'fast' });
  });

  it('rejects an unknown option and suggests the one meant', () => {
    const issues = issuesOf('services:\n  api:\n    failureTreshold: 3\n');
    const issue = issues.get('services.api.failureTreshold');
    expect(issue?.value).toBe(3);
    expect(issue?.expected).toMatch(
      /^one of the keys preset, layer, description, dependsOn, failureThreshold/,
    );
    expect(issue?.expected).toContain("did you mean 'failureThreshold'?");
  });

  it('rejects a function-valued option name that only code can set', () => {
    expect(issuesOf('services:\n  api:\n    isFailure: yes\n').has('services.api.isFailure')).toBe(
      true,
    );
  });

  it('rejects an unknown preset and suggests the one meant', () => {
    const issue = issuesOf('services:\n  market-data:\n    preset: market-dta\n').get(
      'services.market-data.preset',
    );
    expect(issue?.value).toBe('market-dta');
    expect(issue?.expected).toMatch(/^a preset name \(market-data, token-sync, /);
    expect(issue?.expected).toContain("did you mean 'market-data'?");
  });

  it('rejects a service name outside the safe alphabet', () => {
    expect(
      issuesOf("services:\n  'market data': { preset: testing }\n").get('services.market data'),
    ).toMatchObject({
      value: 'market data',
      expected: expect.stringContaining('a service name of letters, digits'),
    });
  });

  it('rejects a dependsOn name that is not a configured service', () => {
    const issue = issuesOf(
      'services:\n  token-sync: {}\n  market-data:\n    dependsOn: [token-sync, token-snyc]\n',
    ).get('services.market-data.dependsOn[1]');
    expect(issue).toMatchObject({ value: 'token-snyc', line: 4, column: 29 });
    expect(issue?.expected).toBe("the name of a configured service; did you mean 'token-sync'?");
  });

  it('rejects a service that depends on itself', () => {
    expect(
      issuesOf('services:\n  a: { dependsOn: [a] }\n').get('services.a.dependsOn[0]')?.expected,
    ).toMatch(/cannot depend on itself/);
  });

  it('rejects a dependency cycle, naming every service on it', () => {
    const issues = issuesOf(
      'services:\n  a: { dependsOn: [b] }\n  b: { dependsOn: [c] }\n  c: { dependsOn: [a] }\n',
    );
    expect([...issues.values()]).toEqual([
      expect.objectContaining({
        path: 'services.a.dependsOn',
        value: 'a → b → c → a',
        expected: 'no dependency cycle',
      }),
    ]);
  });

  it('rejects dependsOn that is not a list of names', () => {
    const issues = issuesOf('services:\n  a: { dependsOn: b }\n  b: { dependsOn: [3] }\n');
    expect(issues.get('services.a.dependsOn')).toMatchObject({
      value: 'b',
      expected: 'a list of service names',
    });
    expect(issues.get('services.b.dependsOn[0]')).toMatchObject({
      value: 3,
      expected: 'a service name',
    });
  });

  it('requires at least one service', () => {
    expect(issuesOf('services: {}\n').get('services')).toMatchObject({
      expected: 'at least one service',
    });
    expect(issuesOf('server: { port: 1 }\n').get('services')).toMatchObject({ value: undefined });
    expect(issuesOf('services: [a, b]\n').get('services')?.expected).toMatch(
      /^a mapping of service name/,
    );
  });

  it('rejects a port outside 0..65535', () => {
    expect(issuesOf(withOneService('server:\n  port: 70000\n')).get('server.port')).toMatchObject({
      value: 70000,
      expected: 'a TCP port, an integer from 0 to 65535',
    });
    expect(issuesOf(withOneService('server:\n  port: "8080"\n')).get('server.port')).toMatchObject({
      value: '8080',
    });
  });

  it('takes server.dashboard as true or false only (YAML 1.2: no yes/no)', () => {
    expect(
      issuesOf(withOneService('server:\n  dashboard: no\n')).get('server.dashboard'),
    ).toMatchObject({
      value: 'no',
      expected: 'true or false',
    });
    expect(parseYaml(withOneService('server:\n  dashboard: false\n')).server.dashboard).toBe(false);
  });

  it('rejects bad WebSocket limits and update interval', () => {
    const issues = issuesOf(
      withOneService(
        'server:\n  updateInterval: 10\n  ws: { rateLimitPerMinute: 0, maxMessageBytes: 1.5 }\n',
      ),
    );
    expect(issues.get('server.updateInterval')?.expected).toBe(
      'a duration in milliseconds, an integer from 100 to 3600000',
    );
    expect(issues.get('server.ws.rateLimitPerMinute')?.expected).toBe(
      'an integer from 1 to 100000',
    );
    expect(issues.get('server.ws.maxMessageBytes')?.value).toBe(1.5);
  });

  it('rejects an unknown store type', () => {
    expect(issuesOf(withOneService('store:\n  type: sqlite\n')).get('store.type')).toMatchObject({
      value: 'sqlite',
      expected: "one of 'memory', 'local', 'redis'",
    });
  });

  it('rejects a store without the keys its type needs, or with keys of another type', () => {
    expect(issuesOf(withOneService('store: { type: local }\n')).get('store.path')).toMatchObject({
      value: undefined,
    });
    expect(
      issuesOf(withOneService('store: { type: memory, path: x.db }\n')).get('store.path'),
    ).toMatchObject({
      value: 'x.db',
      expected: 'one of the keys type, auditRetention',
    });
    expect(
      issuesOf(withOneService('store: { type: redis, url: "http://cache:6379" }\n')).get(
        'store.url',
      ),
    ).toMatchObject({
      expected: 'a redis:// or rediss:// URL',
    });
  });

  it('never shows the password of a Redis URL', () => {
    const issue = issuesOf(
      withOneService('store: { type: redis, url: "redis://app:hunter2@", keyPrefix: "" }\n'),
    ).get('store.url');
    expect(issue?.value).toBe('redis://app:***@');
  });

  it('rejects a JWT secret written in the file, without echoing it', () => {
    const error = configErrorOf(() =>
      parseYaml(withOneService('auth:\n  jwtSecret: correct-horse-battery-staple\n')),
    );
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'auth.jwtSecret', value: '[redacted]', redacted: true }),
    ]);
    expect(error.issues[0]?.expected).toMatch(/^no secret in the file: put it in the environment/);
    expect(error.message).toContain('BREAKWATER_JWT_SECRET');
    expect(error.message).not.toContain('correct-horse');
  });

  it('rejects a secret-looking key anywhere, without echoing it', () => {
    const error = configErrorOf(() =>
      parseYaml(
        withOneService(
          'alerts:\n  webhooks:\n    - url: https://h.example.com\n      apiKey: s3cr3t\n',
        ),
      ),
    );
    expect(error.issues[0]).toMatchObject({ path: 'alerts.webhooks[0].apiKey', redacted: true });
    expect(error.message).not.toContain('s3cr3t');
  });

  it('rejects auth settings the algorithm would not use', () => {
    const hs = issuesOf(withOneService('auth: { publicKeyFile: idp.pem }\n'));
    expect(hs.get('auth.publicKeyFile')?.expected).toMatch(/^no public key with algorithm HS256/);
    const rs = issuesOf(withOneService('auth: { algorithm: RS256, jwtSecretEnv: MY_SECRET }\n'));
    expect(rs.get('auth.publicKeyFile')?.expected).toMatch(/algorithm RS256 needs one/);
    expect(rs.get('auth.jwtSecretEnv')?.expected).toMatch(/only used with HS256/);
    expect(
      issuesOf(withOneService('auth: { algorithm: none }\n')).get('auth.algorithm'),
    ).toMatchObject({
      value: 'none',
      expected: "one of 'HS256', 'RS256', 'ES256'",
    });
  });

  it('rejects an environment variable name that cannot exist', () => {
    expect(
      issuesOf(withOneService('auth: { jwtSecretEnv: "my secret" }\n')).get('auth.jwtSecretEnv')
        ?.expected,
    ).toMatch(/environment variable name/);
  });

  it('rejects a webhook URL that is not http or https', () => {
    const issues = issuesOf(
      withOneService(
        'alerts:\n  webhooks:\n    - url: ftp://hooks.example.com\n    - url: not a url\n',
      ),
    );
    expect(issues.get('alerts.webhooks[0].url')).toMatchObject({
      value: 'ftp://hooks.example.com',
      expected: 'an http:// or https:// URL',
      line: 6,
    });
    expect(issues.get('alerts.webhooks[1].url')?.value).toBe('not a url');
  });

  it('rejects unknown alert events, bad headers and an empty event list', () => {
    const issues = issuesOf(
      withOneService(
        'alerts:\n  webhooks:\n    - url: https://a.example.com\n      events: [circuit-open, circuit-closed]\n      headers: { "X Team": ops, X-Count: 3 }\n    - url: https://b.example.com\n      events: []\n',
      ),
    );
    expect(issues.get('alerts.webhooks[0].events[1]')).toMatchObject({
      value: 'circuit-closed',
      expected: "one of 'circuit-open', 'recovery-failed', 'recovery-exhausted', 'open-too-long'",
    });
    expect(issues.get('alerts.webhooks[0].headers.X Team')).toMatchObject({ value: 'X Team' });
    expect(issues.get('alerts.webhooks[0].headers.X-Count')).toMatchObject({ value: 3 });
    expect(issues.get('alerts.webhooks[1].events')?.expected).toBe('at least one alert event');
  });

  it('rejects a log flag that is not a boolean (YAML 1.2: yes is a string)', () => {
    expect(issuesOf(withOneService('alerts: { log: yes }\n')).get('alerts.log')).toMatchObject({
      value: 'yes',
      expected: 'true or false',
    });
  });

  it('rejects an unknown top-level section and suggests the one meant', () => {
    expect(issuesOf(withOneService('alert: { log: false }\n')).get('alert')?.expected).toBe(
      "one of the keys services, store, server, auth, alerts; did you mean 'alerts'?",
    );
  });

  it('rejects a file whose top level is not a mapping', () => {
    expect(issuesOf('- services\n').get('')).toMatchObject({ value: ['services'] });
  });
});

describe('unknown keys deep inside an option', () => {
  it('names an unknown key of slidingWindow', () => {
    expect(
      issuesOf('services:\n  api:\n    slidingWindow: { type: time, size: 60000, step: 5 }\n').get(
        'services.api.slidingWindow.step',
      ),
    ).toMatchObject({ value: 5, expected: 'no such option', line: 3 });
  });
});
