/**
 * A value as an error message shows what the caller passed: `"5"` for a string (so "5" and 5
 * differ; a long one cut after 40 characters, with its length), `NaN`, `null`, `undefined`,
 * `a function`, `an array`, `an object`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
