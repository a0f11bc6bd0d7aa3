import { isConfigError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { TrustedProxies } from '../../src/index';

describe('the client address behind trusted proxies', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', '192.0.2.1', 'fd00::/8', '::1']);

  it('is the peer when the peer is not trusted, whatever its X-Forwarded-For says', () => {
    expect(proxies.clientAddress('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(proxies.clientAddress('2001:db8::7', '198.51.100.1')).toBe('2001:db8::7');
  });

  it('is the peer when there is no X-Forwarded-For, or an empty one', () => {
    expect(proxies.clientAddress('10.0.0.1', undefined)).toBe('10.0.0.1');
    expect(proxies.clientAddress('10.0.0.1', '')).toBe('10.0.0.1');
    expect(proxies.clientAddress('10.0.0.1', [])).toBe('10.0.0.1');
  });

  it('is the rightmost entry that is not trusted when the peer is a trusted proxy', () => {
    expect(proxies.clientAddress('10.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(proxies.clientAddress('192.0.2.1', ' 198.51.100.1 ')).toBe('198.51.100.1');
  });

  it('walks a chain of trusted proxies to the first address that is not one', () => {
    expect(proxies.clientAddress('10.0.0.1', '198.51.100.1, 10.2.3.4, 192.0.2.1')).toBe(
      '198.51.100.1',
    );
  });

  it('ignores the entries a client wrote itself, left of the one the proxy added', () => {
    // The client sent "X-Forwarded-For: 1.1.1.1, 10.9.9.9" hoping to borrow those addresses.
    expect(proxies.clientAddress('10.0.0.1', '1.1.1.1, 10.9.9.9, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the leftmost entry when every address is trusted', () => {
    expect(proxies.clientAddress('10.0.0.1', '10.5.5.5, 10.0.0.2')).toBe('10.5.5.5');
  });

  it('stops at the proxy that sent a malformed entry', () => {
    for (const bad of ['unknown', '203.0.113.7:5555', '[2001:db8::1]', '_hidden', 'example.com'])
      expect(proxies.clientAddress('10.0.0.1', `198.51.100.1, ${bad}`)).toBe('10.0.0.1');
    expect(proxies.clientAddress('10.0.0.1', '198.51.100.1, garbage, 10.0.0.2')).toBe('10.0.0.2');
  });

  it('ignores empty list elements', () => {
    expect(proxies.clientAddress('10.0.0.1', '198.51.100.1, , 10.0.0.2,')).toBe('198.51.100.1');
  });

  it('matches an IPv4-mapped IPv6 peer against IPv4 entries', () => {
    expect(proxies.clientAddress('::ffff:10.1.2.3', '198.51.100.1')).toBe('198.51.100.1');
    expect(proxies.clientAddress('::ffff:192.0.2.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(proxies.clientAddress('::ffff:11.1.2.3', '198.51.100.1')).toBe('::ffff:11.1.2.3');
  });

  it('matches IPv4 and IPv6 subnets by their prefix', () => {
    expect(proxies.clientAddress('10.255.255.255', '198.51.100.1')).toBe('198.51.100.1');
    expect(proxies.clientAddress('11.0.0.0', '198.51.100.1')).toBe('11.0.0.0');
    expect(proxies.clientAddress('fd12:3456::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(proxies.clientAddress('fe00::1', '2001:db8::7')).toBe('fe00::1');
    expect(proxies.clientAddress('::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(proxies.clientAddress('::2', '2001:db8::7')).toBe('::2');
  });

  it('reads several X-Forwarded-For headers as one list, in order', () => {
    expect(proxies.clientAddress('10.0.0.1', ['198.51.100.1, 203.0.113.7', '10.0.0.2'])).toBe(
      '203.0.113.7',
    );
    expect(proxies.clientAddress('10.0.0.1', ['198.51.100.1', '10.0.0.2, 10.0.0.3'])).toBe(
      '198.51.100.1',
    );
  });

  it('is unknown when the peer is not known, whatever the header says', () => {
    expect(proxies.clientAddress(undefined, '198.51.100.1')).toBe('unknown');
  });
});

describe('without trusted proxies (the default)', () => {
  it('is always the peer: X-Forwarded-For is ignored', () => {
    expect(new TrustedProxies().clientAddress('127.0.0.1', '198.51.100.1')).toBe('127.0.0.1');
    expect(new TrustedProxies([]).clientAddress('::ffff:127.0.0.1', '1.1.1.1')).toBe(
      '::ffff:127.0.0.1',
    );
  });
});

describe('a bad trusted proxy entry', () => {
  it.each([
    ['10.0.0.0/33', 1],
    ['fd00::/129', 1],
    ['10.0.0.0/', 1],
    ['10.0.0.0/8/8', 1],
    ['10.0.0.0/-1', 1],
    ['proxy.internal', 1],
    ['', 1],
    [8, 1],
  ])('throws a ConfigError naming trustedProxies and %j', (bad, index) => {
    const entries = ['127.0.0.1', bad] as string[];
    let thrown: unknown;
    try {
      new TrustedProxies(entries);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option: `trustedProxies[${index}]`, value: bad });
  });

  it('throws a ConfigError naming trustedProxies when it is not a list', () => {
    expect(() => new TrustedProxies('10.0.0.0/8' as unknown as string[])).toThrow(
      /Invalid option 'trustedProxies'/,
    );
  });
});
