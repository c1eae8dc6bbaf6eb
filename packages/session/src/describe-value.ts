/**
 * A value as an error message shows what the caller passed: `"5"` for a string, `NaN`, `null`,
 * `undefined`, `a function`, `an array`, `a Blob`. Strings are quoted so that "5" and 5 differ.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name === undefined || name === '' || name === 'Object' ? 'an object' : `a ${name}`;
}
