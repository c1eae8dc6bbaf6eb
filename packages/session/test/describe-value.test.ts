import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/describe-value.js';

describe('describeValue', () => {
  it.each([
    ['5', '"5"'],
    ['', '""'],
    [5, '5'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [10n, '10'],
    [Symbol('s'), 'Symbol(s)'],
    [() => 1, 'a function'],
    [[1, 2], 'an array'],
    [{ a: 1 }, 'an object'],
    [Object.create(null), 'an object'],
    [new Map(), 'an object'],
    ['x'.repeat(41), `"${'x'.repeat(40)}"… (41 characters)`],
    ['x'.repeat(40), `"${'x'.repeat(40)}"`],
  ])('describes %s as %s', (value, words) => {
    expect(describeValue(value)).toBe(words);
  });
});
