import { signToken } from '@breakwater/server';
import { describe, expect, it } from 'vitest';
import { takeFragmentToken } from '../app/session/fragment-token';
import { decodeJwtPayload, MalformedTokenError } from '../app/session/jwt-payload';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwtWith = (payload: unknown) => `${base64url({ alg: 'HS256' })}.${base64url(payload)}.c2ln`;

describe('takeFragmentToken', () => {
  it('takes the token of a #token= fragment and leaves nothing behind', () => {
    expect(takeFragmentToken('#token=abc.def.ghi')).toEqual({ token: 'abc.def.ghi', hash: '' });
  });

  it('keeps the other pairs of the fragment, without the token', () => {
    expect(takeFragmentToken('#view=audit&token=abc.def.ghi&x=1')).toEqual({
      token: 'abc.def.ghi',
      hash: '#view=audit&x=1',
    });
  });

  it('decodes a percent-encoded token', () => {
    expect(takeFragmentToken(`#token=${encodeURIComponent('a.b.c ')}`).token).toBe('a.b.c');
  });

  it('finds no token in an empty fragment or one without token=, and changes nothing', () => {
    expect(takeFragmentToken('')).toEqual({ token: undefined, hash: '' });
    expect(takeFragmentToken('#')).toEqual({ token: undefined, hash: '' });
    expect(takeFragmentToken('#section-2')).toEqual({ token: undefined, hash: '#section-2' });
  });

  it('treats an empty token= as no token, and still removes it', () => {
    expect(takeFragmentToken('#token=&view=audit')).toEqual({
      token: undefined,
      hash: '#view=audit',
    });
  });
});

describe('decodeJwtPayload', () => {
  it("reads sub, role and exp from a token the monitor's own signer made", async () => {
    const token = await signToken(
      { sub: 'alice', role: 'admin', ttl: '1h' },
      { algorithm: 'HS256' },
      { BREAKWATER_JWT_SECRET: 'a-test-secret-that-is-long-enough-1234' },
    );
    const identity = decodeJwtPayload(token);
    expect(identity).toMatchObject({ sub: 'alice', role: 'admin' });
    expect(identity.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('reads a payload with non-ASCII text and base64url characters', () => {
    expect(decodeJwtPayload(jwtWith({ sub: 'zoë ~~~?', role: 'viewer' }))).toEqual({
      sub: 'zoë ~~~?',
      role: 'viewer',
      exp: undefined,
    });
  });

  it.each([
    ['not a token', /expected three parts separated by dots, got 1/],
    ['a.b', /got 2/],
    ['a.b.c.d', /got 4/],
    ['x.$$$.y', /payload is not base64url/],
    ['x.a.y', /payload is not base64url/],
    [`x.${Buffer.from('not json').toString('base64url')}.y`, /payload is not JSON/],
    [`x.${Buffer.from([0xff, 0xfe]).toString('base64url')}.y`, /not UTF-8/],
    [jwtWith([1, 2]), /payload is not a JSON object/],
    [jwtWith({ role: 'admin' }), /no 'sub' claim/],
    [jwtWith({ sub: 'alice' }), /no 'role' claim/],
    [jwtWith({ sub: 'alice', role: 7 }), /no 'role' claim/],
  ])('refuses %j with a clear error', (token, message) => {
    expect(() => decodeJwtPayload(token)).toThrow(MalformedTokenError);
    expect(() => decodeJwtPayload(token)).toThrow(message);
  });
});
