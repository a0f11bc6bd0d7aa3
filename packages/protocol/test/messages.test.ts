import { describe, expect, it } from 'vitest';
import { circuitActionTypes, clientMessageTypes, closeCodes } from '../src/index';
import { clientMessageSchema, parseClientMessage, serverMessageSchema } from '../src/schema/index';

const at = '2026-01-01T00:00:00.000Z';

describe('parseClientMessage', () => {
  it.each([
    [{ type: 'subscribe:services' }],
    [{ type: 'subscribe:services', services: ['market-data'] }],
    [{ type: 'unsubscribe:services' }],
    [{ type: 'unsubscribe:services', services: ['wallet'] }],
    [{ type: 'ping' }],
    [{ type: 'health:check' }],
    [{ type: 'circuit:reset', service: 'market-data' }],
    [{ type: 'circuit:force-open', service: 'market-data' }],
    [{ type: 'circuit:disable', service: 'market-data' }],
    [{ type: 'circuit:release', service: 'market-data' }],
  ])('accepts %j', (message) => {
    expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it('refuses invalid JSON', () => {
    expect(parseClientMessage('{nope')).toEqual({ ok: false, reason: 'Invalid JSON' });
  });

  it.each([
    ['an unknown type', { type: 'circuit:explode' }],
    ['a missing type', { service: 'x' }],
    ['a reset without a service', { type: 'circuit:reset' }],
    ['a force-open with an empty service', { type: 'circuit:force-open', service: '' }],
    ['a release without a service', { type: 'circuit:release' }],
    ['a filter that is not a list of names', { type: 'subscribe:services', services: 'all' }],
    ['a non-object', 42],
  ])('refuses %s', (_, message) => {
    const parsed = parseClientMessage(JSON.stringify(message));
    expect(parsed.ok).toBe(false);
  });

  it('knows every type the schema knows, the operator actions among them', () => {
    const schemaTypes = clientMessageSchema.options.map((option) => option.shape.type.value);
    expect([...clientMessageTypes].sort()).toEqual([...schemaTypes].sort());
    expect(clientMessageTypes).toEqual(expect.arrayContaining([...circuitActionTypes]));
  });

  it('names the bad field', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'circuit:reset', service: 7 }));
    expect(parsed.ok ? '' : parsed.reason).toContain('service');
  });
});

describe('serverMessageSchema', () => {
  it.each([
    [{ type: 'connection:status', status: 'connected', timestamp: at }],
    [{ type: 'error', code: closeCodes.invalidMessage, message: 'Invalid JSON', timestamp: at }],
    [{ type: 'pong', timestamp: at }],
    [{ type: 'service:update', timestamp: at, services: [] }],
    [
      {
        type: 'health:check',
        status: 'healthy',
        timestamp: at,
        stats: { total: 1, healthy: 1, degraded: 0, failed: 0, unknown: 0 },
      },
    ],
    [{ type: 'circuit:reset', service: 'a', before: 'open', after: 'closed', timestamp: at }],
    [
      {
        type: 'circuit:force-open',
        service: 'a',
        before: 'closed',
        after: 'forced-open',
        timestamp: at,
      },
    ],
    [{ type: 'circuit:disable', service: 'a', before: 'open', after: 'disabled', timestamp: at }],
    [
      {
        type: 'circuit:release',
        service: 'a',
        before: 'forced-open',
        after: 'closed',
        timestamp: at,
      },
    ],
  ])('accepts %j', (message) => {
    expect(serverMessageSchema.parse(message)).toEqual(message);
  });

  it('refuses a circuit.state outside open and closed', () => {
    const bad = {
      type: 'service:update',
      timestamp: at,
      services: [
        {
          service: 'a',
          status: 'healthy',
          circuit: {
            state: 'half-open',
            failureCount: 0,
            lastFailure: null,
            recoveryAttempts: 0,
            phase: 'half-open',
            recoveryIn: null,
            degradedBy: [],
          },
          operations: { total: 0, successful: 0, failed: 0, rejected: 0 },
        },
      ],
    };
    expect(serverMessageSchema.safeParse(bad).success).toBe(false);
  });
});

describe('closeCodes', () => {
  it("carries the protocol's codes and 1009 for oversized frames", () => {
    expect(closeCodes).toMatchObject({
      unauthorized: 4001,
      forbidden: 4003,
      invalidMessage: 4004,
      rateLimited: 4029,
      messageTooBig: 1009,
    });
  });
});
