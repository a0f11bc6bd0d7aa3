import fc from 'fast-check';
import { services } from './fuzz-monitor';

/** Client message types of the protocol, and a few it does not have. */
const messageTypes = [
  'subscribe:services',
  'unsubscribe:services',
  'ping',
  'health:check',
  'circuit:reset',
  'circuit:force-open',
  'circuit:disable',
  'circuit:release',
  'circuit:delete',
  'service:update',
  '',
  '__proto__',
  'constructor',
];

/** Numbers that break naive code: out of range, negative zero, not integers, past 2^53. */
const hostileNumbers = [
  '1e999',
  '-1e999',
  '-0',
  '0.1',
  '1e-400',
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '1.7976931348623157e308',
];

/** Names a field may carry: the monitor's services, unknown ones, prototype keys, huge and odd strings. */
export const serviceName = fc.oneof(
  fc.constantFrom(...services),
  fc.constantFrom('__proto__', 'constructor', 'toString', '', ' ', '..', '%00', '\u0000', '\ud800'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer({ min: 200, max: 12_000 }).map((n) => 'n'.repeat(n)),
);

const anyJson = fc.jsonValue({ maxDepth: 4 });

/** JSON text shaped like a client message, with fields of the wrong type or size as often as the right ones. */
const messageLike = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom(...messageTypes), fc.string({ maxLength: 30 }), anyJson),
      services: fc.oneof(fc.array(serviceName, { maxLength: 8 }), anyJson),
      service: fc.oneof(serviceName, anyJson),
      extra: anyJson,
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

const hugeNumbers = fc
  .tuple(fc.constantFrom(...messageTypes), fc.constantFrom(...hostileNumbers))
  .map(
    ([type, number]) =>
      `{"type":${JSON.stringify(type)},"services":[${number}],"service":${number},"limit":${number}}`,
  );

/** Arrays nested `depth` deep in a field: cheap to send, a stack overflow for a recursive walker. */
export function nested(depth: number, inside = '1'): string {
  return `${'['.repeat(depth)}${inside}${']'.repeat(depth)}`;
}

const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 8_000 }), fc.constantFrom('services', 'service', 'type'))
  .map(([depth, field]) => `{"type":"subscribe:services","${field}":${nested(depth)}}`);

const deepObjects = fc
  .integer({ min: 1, max: 3_000 })
  .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

const manyNames = fc
  .tuple(fc.constantFrom('subscribe:services', 'unsubscribe:services'), fc.nat({ max: 3_000 }))
  .map(([type, count]) =>
    JSON.stringify({ type, services: Array.from({ length: count }, (_, i) => `s${i}`) }),
  );

const badJson = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '{', '{"type":', 'null', '[]', '"ping"', '{"type":"ping"', 'NaN', '{}{}'),
);

/** Valid messages too, so the fuzz also drives subscriptions and actions between the garbage. */
const validMessage = fc.oneof(
  fc.constantFrom('{"type":"ping"}', '{"type":"health:check"}', '{"type":"subscribe:services"}'),
  fc
    .tuple(
      fc.constantFrom('subscribe:services', 'unsubscribe:services'),
      fc.subarray([...services]),
    )
    .map(([type, names]) => JSON.stringify({ type, services: names })),
  fc
    .tuple(
      fc.constantFrom('circuit:reset', 'circuit:force-open', 'circuit:disable', 'circuit:release'),
      serviceName,
    )
    .map(([type, service]) => JSON.stringify({ type, service })),
);

/** A text payload a hostile or broken client may send, as a string. */
export const hostileText = fc.oneof(
  { arbitrary: validMessage, weight: 3 },
  { arbitrary: messageLike, weight: 4 },
  { arbitrary: anyJson.map((value) => JSON.stringify(value)), weight: 2 },
  { arbitrary: hugeNumbers, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: deepObjects, weight: 1 },
  { arbitrary: manyNames, weight: 1 },
  { arbitrary: badJson, weight: 2 },
);

/** Bytes that are not UTF-8: a valid prefix, then a byte no UTF-8 text contains, or a cut sequence. */
export const invalidUtf8 = fc
  .tuple(
    fc.string({ maxLength: 40 }),
    fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80]),
    fc.string({ maxLength: 40 }),
  )
  .map(([before, bad, after]) =>
    Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]),
  );

export const binary = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));

/** A body over a limit of `limit` bytes. */
export function oversize(limit: number) {
  return fc
    .tuple(fc.integer({ min: limit + 1, max: limit * 3 }), fc.constantFrom('json', 'text'))
    .map(([size, kind]) =>
      kind === 'json'
        ? Buffer.from(`{"failureThreshold":"${'x'.repeat(size)}"}`)
        : Buffer.alloc(size, 0x61),
    );
}
