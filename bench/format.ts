/** Nanoseconds, one decimal below 1 µs and whole above. */
export function ns(value: number): string {
  return `${value < 1000 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ns`;
}

/** A signed difference in nanoseconds. */
export function signedNs(value: number): string {
  return `${value < 0 ? '−' : '+'}${ns(Math.abs(value))}`;
}

/** A ratio, e.g. `2.41×`. */
export function times(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** Bytes, whole. */
export function bytes(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} B`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
