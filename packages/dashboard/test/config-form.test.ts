import { describe, expect, it } from 'vitest';
import {
  ConfigFormError,
  configChanges,
  describeChanges,
  formValuesOf,
  optionFields,
  otherOptionsField,
} from '../app/controls/config-form';

// The plain-data options as `GET /api/circuit-breakers/:name` reports them.
const current = {
  failureThreshold: 5,
  resetTimeout: 30_000,
  successThreshold: 2,
  halfOpenMaxCalls: 1,
  backoffMultiplier: 2,
  maxResetTimeout: 300_000,
  trialTimeout: 60_000,
  slidingWindow: { type: 'count', size: 100 },
  minimumCalls: 10,
  slowCallDuration: 5_000,
};

describe('formValuesOf', () => {
  it("fills each field with its option's value and puts the other options in the JSON", () => {
    const { fields, other } = formValuesOf(current);
    expect(fields.failureThreshold).toBe('5');
    expect(fields.resetTimeout).toBe('30000');
    expect(fields.failureRateThreshold).toBe('');
    expect(Object.keys(fields)).toEqual(optionFields.map((field) => field.name));
    expect(JSON.parse(other)).toEqual({
      trialTimeout: 60_000,
      slidingWindow: { type: 'count', size: 100 },
    });
  });

  it('leaves everything empty when the current options are unknown', () => {
    const { fields, other } = formValuesOf(undefined);
    expect(Object.values(fields).every((value) => value === '')).toBe(true);
    expect(other).toBe('{}');
  });
});

describe('configChanges', () => {
  const start = formValuesOf(current);

  it('finds nothing to change in the untouched form', () => {
    expect(configChanges(current, start.fields, start.other)).toEqual({});
  });

  it('sends only the fields and JSON keys whose value differs', () => {
    const fields = { ...start.fields, failureThreshold: ' 3 ', failureRateThreshold: '0.5' };
    const other = JSON.stringify({
      trialTimeout: 60_000,
      slidingWindow: { type: 'time', size: 10_000 },
    });
    expect(configChanges(current, fields, other)).toEqual({
      failureThreshold: 3,
      failureRateThreshold: 0.5,
      slidingWindow: { type: 'time', size: 10_000 },
    });
  });

  it('sends a value the monitor will refuse as it is: the monitor names the bad option', () => {
    expect(configChanges(current, { ...start.fields, failureThreshold: '-1' }, '{}')).toEqual({
      failureThreshold: -1,
    });
  });

  it('treats an emptied field as unchanged', () => {
    expect(configChanges(current, { ...start.fields, resetTimeout: '' }, start.other)).toEqual({});
  });

  it('sends every filled field when the current options are unknown', () => {
    const { fields } = formValuesOf(undefined);
    expect(configChanges(undefined, { ...fields, timeout: '2500' }, '')).toEqual({ timeout: 2500 });
  });

  it('refuses text that is not a number, naming the field', () => {
    const attempt = () => configChanges(current, { ...start.fields, resetTimeout: '30s' }, '{}');
    expect(attempt).toThrow(ConfigFormError);
    expect(attempt).toThrow('resetTimeout: "30s" is not a number');
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigFormError).field).toBe('resetTimeout');
    }
  });

  it.each([
    ['{ trialTimeout: 1 }', /Other options: not valid JSON/],
    ['[1, 2]', /expected a JSON object/],
    ['null', /expected a JSON object/],
    ['{"failureThreshold": 2}', /failureThreshold has its own field above/],
  ])('refuses other options %s, naming the JSON field', (other, message) => {
    try {
      configChanges(current, start.fields, other);
      expect.unreachable('configChanges accepted it');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFormError);
      expect((error as ConfigFormError).field).toBe(otherOptionsField);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('describeChanges', () => {
  it('shows each change from the current value to the new one', () => {
    expect(
      describeChanges(current, { failureThreshold: 3, slidingWindow: { type: 'time', size: 10 } }),
    ).toEqual([
      'failureThreshold: 5 → 3',
      'slidingWindow: {"type":"count","size":100} → {"type":"time","size":10}',
    ]);
  });

  it('says not set for an option without a value, and shows only the new value without the current ones', () => {
    expect(describeChanges(current, { timeout: 1000 })).toEqual(['timeout: not set → 1000']);
    expect(describeChanges(undefined, { timeout: 1000 })).toEqual(['timeout → 1000']);
  });
});
