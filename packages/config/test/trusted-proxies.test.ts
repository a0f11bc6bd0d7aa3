import { describe, expect, it } from 'vitest';
import { configErrorOf, issuesOf, parseYaml, withOneService } from './support/config';

const expected = 'an IP address or a CIDR subnet, e.g. "10.0.0.0/8", "::1" or "fd00::/8"';

describe('server.trustedProxies', () => {
  it('defaults to none', () => {
    expect(parseYaml(withOneService()).server.trustedProxies).toEqual([]);
  });

  it('takes IPv4 and IPv6 addresses and CIDR subnets', () => {
    const { server } = parseYaml(
      withOneService(
        'server:\n  trustedProxies: [10.0.0.0/8, 192.0.2.1, "::1", "fd00::/8", "::ffff:10.1.2.3"]\n',
      ),
    );
    expect(server.trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      '::1',
      'fd00::/8',
      '::ffff:10.1.2.3',
    ]);
  });

  it('refuses a bad entry, naming its path and value', () => {
    const issues = issuesOf(
      withOneService(
        'server:\n  trustedProxies:\n    - 10.0.0.0/8\n    - 10.0.0.0/33\n    - lb.internal\n    - "fd00::/129"\n    - 8\n',
      ),
    );
    expect(issues.get('server.trustedProxies[1]')).toMatchObject({
      value: '10.0.0.0/33',
      expected,
    });
    expect(issues.get('server.trustedProxies[2]')).toMatchObject({
      value: 'lb.internal',
      expected,
    });
    expect(issues.get('server.trustedProxies[3]')).toMatchObject({ value: 'fd00::/129', expected });
    expect(issues.get('server.trustedProxies[4]')).toMatchObject({ value: 8, expected });
    expect(issues.has('server.trustedProxies[0]')).toBe(false);
  });

  it('says where the bad entry is in the file', () => {
    const error = configErrorOf(() =>
      parseYaml(withOneService('server:\n  trustedProxies: [127.0.0.1, "nginx:8080"]\n')),
    );
    expect(error.message).toContain('server.trustedProxies[1]');
    expect(error.message).toContain('"nginx:8080"');
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'server.trustedProxies[1]', line: 5 }),
    ]);
  });

  it('refuses a single address that is not in a list', () => {
    const issues = issuesOf(withOneService('server:\n  trustedProxies: 10.0.0.1\n'));
    expect(issues.get('server.trustedProxies')).toMatchObject({
      value: '10.0.0.1',
      expected: 'a list of IP addresses and CIDR subnets of reverse proxies',
    });
  });
});
