import { describe, expect, it } from 'vitest';
import { parseServerMessage, serverMessageTypes } from '../src/index';
import { serverMessageSchema } from '../src/schema/index';

const at = '2026-01-01T00:00:00.000Z';

describe('parseServerMessage', () => {
  it.each([
    [{ type: 'connection:status', status: 'connected', timestamp: at }],
    [{ type: 'service:update', timestamp: at, services: [] }],
    [{ type: 'error', code: 4004, message: 'Invalid JSON', timestamp: at }],
    [{ type: 'pong', timestamp: at }],
  ])('accepts %j as it is', (message) => {
    expect(parseServerMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it.each([
    ['invalid JSON', '{nope', 'Invalid JSON'],
    ['a non-object', '42', 'not an object'],
    ['an array', '[]', 'not an object'],
    ['an unknown type', JSON.stringify({ type: 'circuit:explode', timestamp: at }), 'type'],
    ['a missing timestamp', JSON.stringify({ type: 'pong' }), 'timestamp'],
    [
      'an update without services',
      JSON.stringify({ type: 'service:update', timestamp: at }),
      'services',
    ],
  ])('refuses %s, naming the problem', (_, text, problem) => {
    const parsed = parseServerMessage(text);
    expect(parsed.ok ? '' : parsed.reason).toContain(problem);
  });

  it('knows every type the schema knows', () => {
    const schemaTypes = serverMessageSchema.options.map((option) => option.shape.type.value);
    expect([...serverMessageTypes].sort()).toEqual([...new Set(schemaTypes)].sort());
  });
});
