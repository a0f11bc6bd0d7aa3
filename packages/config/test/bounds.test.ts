import { describe, expect, it } from 'vitest';
import { issuesOf, parseYaml } from './support/config';

const oneService = 'services:\n  db: {}\n';

describe('durations and multipliers in the file are bounded', () => {
  it.each([
    ['resetTimeout', '9e15', 9e15],
    ['timeout', '2147483648', 2_147_483_648],
    ['trialTimeout', '2147483648', 2_147_483_648],
    ['slowCallDuration', '1e12', 1e12],
  ])('refuses a service %s above 2^31 − 1 ms, naming the bound', (option, text, value) => {
    const issue = issuesOf(`services:\n  db:\n    ${option}: ${text}\n`).get(
      `services.db.${option}`,
    );
    expect(issue).toMatchObject({ value, line: 3 });
    expect(issue?.expected).toContain('to 2147483647');
  });

  it('refuses a nested duration and a multiplier above their bounds', () => {
    const issues = issuesOf(
      'services:\n  db:\n    adaptive: { halfLife: 3000000000 }\n  cache:\n    backoffMultiplier: 1000\n',
    );
    expect(issues.get('services.db.adaptive.halfLife')?.expected).toContain('to 2147483647');
    expect(issues.get('services.cache.backoffMultiplier')).toMatchObject({
      value: 1000,
      expected: 'a factor from 1 to 100',
    });
  });

  it('accepts the longest duration', () => {
    const config = parseYaml('services:\n  db:\n    resetTimeout: 2147483647\n');
    expect(config.services.db?.options.resetTimeout).toBe(2_147_483_647);
  });

  it('refuses alerts.openLongerThan above the bound', () => {
    const issue = issuesOf(`${oneService}alerts:\n  openLongerThan: 2147483648\n`).get(
      'alerts.openLongerThan',
    );
    expect(issue?.expected).toBe('a duration in milliseconds, an integer from 1000 to 2147483647');
  });
});

describe('auth.maxTokenLifetime', () => {
  it('defaults to a day', () => {
    expect(parseYaml(oneService).auth.maxTokenLifetime).toBe(86_400_000);
  });

  it('takes a lifetime from a minute to a year, in ms', () => {
    expect(parseYaml(`${oneService}auth:\n  maxTokenLifetime: 43200000\n`).auth).toMatchObject({
      maxTokenLifetime: 43_200_000,
    });
    for (const value of [59_999, 31_536_000_001]) {
      const issue = issuesOf(`${oneService}auth:\n  maxTokenLifetime: ${value}\n`).get(
        'auth.maxTokenLifetime',
      );
      expect(issue?.expected).toBe(
        'a duration in milliseconds, an integer from 60000 to 31536000000',
      );
    }
  });

  it('applies to public-key settings too', () => {
    const config = parseYaml(
      `${oneService}auth:\n  algorithm: ES256\n  publicKeyFile: key.pem\n  maxTokenLifetime: 600000\n`,
    );
    expect(config.auth).toMatchObject({ algorithm: 'ES256', maxTokenLifetime: 600_000 });
  });
});

describe('server rate limits', () => {
  it('default to 20 failed authentications and 60 admin actions per minute', () => {
    expect(parseYaml(oneService).server).toMatchObject({
      authFailuresPerMinute: 20,
      adminActionsPerMinute: 60,
    });
  });

  it('refuse 0 and take a larger budget', () => {
    const issues = issuesOf(`${oneService}server:\n  authFailuresPerMinute: 0\n`);
    expect(issues.get('server.authFailuresPerMinute')?.expected).toBe('an integer from 1 to 10000');
    const config = parseYaml(`${oneService}server:\n  adminActionsPerMinute: 600\n`);
    expect(config.server.adminActionsPerMinute).toBe(600);
  });
});
