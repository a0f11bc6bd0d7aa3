import { sameValue } from '../live/stable-snapshots';

/** An option the configuration form has a field for. */
export interface OptionField {
  readonly name: string;
  readonly label: string;
  /** Shown beside the field: the unit or the range. */
  readonly unit: string;
}

/** The options most often tuned, each with its own field; the others are edited as JSON. */
export const optionFields: readonly OptionField[] = [
  { name: 'failureThreshold', label: 'Failure threshold', unit: 'failures' },
  { name: 'resetTimeout', label: 'Reset timeout', unit: 'ms' },
  { name: 'successThreshold', label: 'Success threshold', unit: 'trial calls' },
  { name: 'halfOpenMaxCalls', label: 'Half-open max calls', unit: 'calls at once' },
  { name: 'backoffMultiplier', label: 'Backoff multiplier', unit: '×' },
  { name: 'maxResetTimeout', label: 'Max reset timeout', unit: 'ms' },
  { name: 'failureRateThreshold', label: 'Failure rate threshold', unit: '0–1' },
  { name: 'minimumCalls', label: 'Minimum calls', unit: 'calls' },
  { name: 'slowCallRateThreshold', label: 'Slow call rate threshold', unit: '0–1' },
  { name: 'slowCallDuration', label: 'Slow call duration', unit: 'ms' },
  { name: 'timeout', label: 'Call timeout', unit: 'ms' },
];

const fieldNames: ReadonlySet<string> = new Set(optionFields.map((field) => field.name));

/** Where the JSON of the other options goes in the form, and how errors about it are named. */
export const otherOptionsField = 'otherOptions';

export type OptionValues = Readonly<Record<string, unknown>>;

/** The form's starting text: each field's current value, and the other options as JSON. */
export function formValuesOf(current: OptionValues | undefined): {
  readonly fields: Record<string, string>;
  readonly other: string;
} {
  const fields: Record<string, string> = {};
  const other: Record<string, unknown> = {};
  for (const field of optionFields) {
    const value = current?.[field.name];
    fields[field.name] = typeof value === 'number' ? String(value) : '';
  }
  for (const [name, value] of Object.entries(current ?? {})) {
    if (!fieldNames.has(name)) other[name] = value;
  }
  return { fields, other: JSON.stringify(other, null, 2) };
}

/** A form entry that cannot become an option value; `field` names the input to mark. */
export class ConfigFormError extends Error {
  override readonly name = 'ConfigFormError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/**
 * The options to send: every field or JSON key whose value differs from the
 * current one (all that are filled in when the current options are unknown).
 * An empty field means "leave as it is". Text that is not a number, or JSON
 * that is not an object, throws a `ConfigFormError` naming the field; the
 * values themselves are the monitor's to judge, and its message names the
 * option it refuses.
 */
export function configChanges(
  current: OptionValues | undefined,
  fields: Readonly<Record<string, string>>,
  otherJson: string,
): Record<string, unknown> {
  const wanted: Record<string, unknown> = {};
  for (const field of optionFields) {
    const text = (fields[field.name] ?? '').trim();
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw new ConfigFormError(
        field.name,
        `${field.name}: ${JSON.stringify(text)} is not a number`,
      );
    }
    wanted[field.name] = value;
  }
  for (const [name, value] of Object.entries(parseOtherOptions(otherJson))) {
    if (fieldNames.has(name)) {
      throw new ConfigFormError(
        otherOptionsField,
        `${name} has its own field above; set it there, not in the JSON`,
      );
    }
    wanted[name] = value;
  }
  return Object.fromEntries(
    Object.entries(wanted).filter(([name, value]) => !sameValue(current?.[name], value)),
  );
}

function parseOtherOptions(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigFormError(otherOptionsField, `Other options: not valid JSON (${reason})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigFormError(
      otherOptionsField,
      'Other options: expected a JSON object such as { "monitoringWindow": 60000 }',
    );
  }
  return parsed as Record<string, unknown>;
}

/** One line per change, for the confirmation: `failureThreshold: 5 → 3`. */
export function describeChanges(
  current: OptionValues | undefined,
  changes: OptionValues,
): string[] {
  return Object.entries(changes).map(([name, value]) =>
    current === undefined
      ? `${name} → ${showValue(value)}`
      : `${name}: ${showValue(current[name])} → ${showValue(value)}`,
  );
}

/** An option value as text; `not set` for an option without a value. */
export function showValue(value: unknown): string {
  return value === undefined || value === null ? 'not set' : JSON.stringify(value);
}
