import type { IncomingMessage } from 'node:http';
import { isConfigError, Registry } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { closeCodes } from '@breakwater/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RequestLimits } from '../../src/auth/request-limits';
import type { Principal } from '../../src/ws/index';
import { listenWithStream } from './stream-server';

const authenticate = async (token: string): Promise<Principal> => {
  if (token !== 'good-token') throw new Error('bad token');
  return { sub: 'alice', role: 'viewer' };
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The stream on 127.0.0.1, allowing one failed authentication a minute; its URL and the refusal reports. */
async function start(trustedProxies?: readonly string[]) {
  const reports: string[] = [];
  const limits = new RequestLimits({
    clock: new FakeClock(),
    authFailuresPerMinute: 1,
    report: (line) => reports.push(line),
  });
  const { url, close } = await listenWithStream({
    registry: new Registry({ services: { db: {} } }),
    authenticate,
    limits,
    ...(trustedProxies === undefined ? {} : { trustedProxies }),
  });
  cleanups.push(close);
  return { url, reports };
}

/** How an upgrade with `token` and these X-Forwarded-For headers ends: a close code, or an HTTP status instead. */
function upgrade(url: string, token: string, forwardedFor: string | string[]) {
  return new Promise<{ close?: number; status?: number }>((resolve) => {
    const socket = new WebSocket(url, token, { headers: { 'x-forwarded-for': forwardedFor } });
    socket.on('error', () => {});
    socket.on('close', (code) => resolve({ close: code }));
    socket.on('unexpected-response', (_request, response: IncomingMessage) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
    });
    socket.on('open', () => socket.close());
  });
}

describe('the WebSocket upgrade behind a trusted reverse proxy', () => {
  it('counts failed authentications per client named in X-Forwarded-For', async () => {
    const { url, reports } = await start(['127.0.0.0/8']);
    expect(await upgrade(url, 'guess', '203.0.113.7')).toEqual({ close: closeCodes.unauthorized });
    expect(await upgrade(url, 'good-token', '203.0.113.7')).toEqual({ status: 429 });
    expect(await upgrade(url, 'good-token', '198.51.100.1')).toEqual({ close: 1005 });
    expect(reports).toEqual([expect.stringMatching(/^refused a request from 203\.0\.113\.7 /)]);
  });

  it('reads several X-Forwarded-For headers as one list, in order', async () => {
    const { url } = await start(['127.0.0.1']);
    expect(await upgrade(url, 'guess', ['198.51.100.1', '203.0.113.7'])).toEqual({
      close: closeCodes.unauthorized,
    });
    expect(await upgrade(url, 'good-token', '203.0.113.7')).toEqual({ status: 429 });
    expect(await upgrade(url, 'good-token', '198.51.100.1')).toEqual({ close: 1005 });
  });

  it('counts per peer when no proxy is trusted (the default)', async () => {
    const { url } = await start();
    expect(await upgrade(url, 'guess', '203.0.113.7')).toEqual({ close: closeCodes.unauthorized });
    expect(await upgrade(url, 'good-token', '198.51.100.1')).toEqual({ status: 429 });
  });

  it('refuses a bad entry with a ConfigError naming it', async () => {
    const error = await start(['127.0.0.1', '127.0.0.1/40']).catch((reason: unknown) => reason);
    expect(isConfigError(error)).toBe(true);
    expect(error).toMatchObject({ option: 'trustedProxies[1]', value: '127.0.0.1/40' });
  });
});
