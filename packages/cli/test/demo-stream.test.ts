import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerMessage, ServiceUpdateMessage } from '@breakwater/protocol';
import { serverMessageSchema } from '@breakwater/protocol/schema';
import { signToken } from '@breakwater/server';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runNode } from './support/run-node';

const secret = 'a-demo-secret-of-at-least-32-characters';
const folder = mkdtempSync(join(tmpdir(), 'breakwater-demo-stream-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * What a client written for the v2 monitoring protocol does against `breakwater demo --port 0`, in the
 * order its code does it: `new WebSocket(url, token)`, wait for
 * connection:status, subscribe, then react to updates and send a reset.
 */
async function seedClientFlow(baseUrl: string): Promise<ServerMessage[]> {
  const token = await signToken({ sub: 'demo-user', role: 'admin', ttl: '5m' }, undefined, {
    BREAKWATER_JWT_SECRET: secret,
  });
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v2/ws/circuit-breaker`;
  const socket = new WebSocket(url, token);
  const received: ServerMessage[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      received.push(message);
      if (message.type === 'connection:status')
        socket.send(JSON.stringify({ type: 'subscribe:services' }));
      if (message.type === 'service:update' && opened(message, 'vanity-wallet')) {
        if (!received.some((m) => m.type === 'circuit:reset')) {
          socket.send(JSON.stringify({ type: 'circuit:reset', service: 'vanity-wallet' }));
        }
      }
      if (message.type === 'circuit:reset') socket.send(JSON.stringify({ type: 'health:check' }));
      if (message.type === 'health:check') socket.close();
    });
    socket.on('close', () => resolve());
  });
  await done;
  return received;
}

function opened(update: ServiceUpdateMessage, service: string): boolean {
  return update.services.some((s) => s.service === service && s.circuit.state === 'open');
}

describe('the monitoring protocol client flow against `breakwater demo`', () => {
  it('connects with a minted token, sees an injected outage open, resets it and asks for health', async () => {
    let flow: Promise<ServerMessage[]> | undefined;
    const exit = await runNode(
      [
        '--conditions=@breakwater/source',
        '--import',
        'tsx',
        'packages/cli/src/bin.ts',
        'demo',
        '--duration',
        '4',
        '--fresh',
        '--store',
        join(folder, 'demo.db'),
        '--port',
        '0',
      ],
      { ...process.env, NO_COLOR: '1', BREAKWATER_JWT_SECRET: secret },
      (stdout) => {
        const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
        if (url !== undefined && flow === undefined) flow = seedClientFlow(url);
      },
    );
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    const received = await (flow as Promise<ServerMessage[]>);
    for (const message of received) expect(serverMessageSchema.parse(message)).toEqual(message);

    const types = received.map((message) => message.type);
    expect(types[0]).toBe('connection:status');
    // The full state comes on connection, before the subscribe is answered.
    expect(types.slice(1, 3)).toEqual(['service:update', 'service:update']);
    const full = received[1] as ServiceUpdateMessage;
    expect(full.services.map((s) => s.service)).toEqual(
      expect.arrayContaining(['market-data', 'vanity-wallet', 'contest-evaluation']),
    );
    expect(received.find((m) => m.type === 'circuit:reset')).toMatchObject({
      service: 'vanity-wallet',
      before: 'open',
      after: 'closed',
    });
    expect(received.at(-1)).toMatchObject({ type: 'health:check' });
  });
});
