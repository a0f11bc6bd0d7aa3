/** An integer setting from the environment: `fallback` when unset, ≥ 1 (≥ 0 with `zeroOk`) or an error naming it. */
export function integerSetting(name: string, fallback: number, zeroOk = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroOk ? 0 : 1))
    throw new Error(
      `${name} must be a ${zeroOk ? 'non-negative' : 'positive'} integer, got ${raw}`,
    );
  return value;
}
