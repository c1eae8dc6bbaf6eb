import { inspect } from 'node:util';

/** A value as an error message shows it: one line, strings quoted, objects one level deep. */
export function shownValue(value: unknown): string {
  return inspect(value, { depth: 0, breakLength: Number.POSITIVE_INFINITY });
}
