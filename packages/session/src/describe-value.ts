/**
 * A value as an error message shows what the caller passed: `"5"` for a string (so "5" and 5
 * differ), `NaN`, `null`, `undefined`, `a function`, `an array`, `an object`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
