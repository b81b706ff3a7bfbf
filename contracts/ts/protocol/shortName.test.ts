import { expect, it } from 'vitest';

import { bytes32ToShortName, bytes32ToText, shortNameToBytes32 } from './shortName';

it('round-trips short names through bytes32', () => {
  const id = shortNameToBytes32('false_positive_rate');
  expect(id).toHaveLength(66);
  expect(bytes32ToShortName(id)).toBe('false_positive_rate');
});

it('shows hex for bytes that are not a short name', () => {
  const digest = `0x${'ab'.repeat(32)}`;
  expect(bytes32ToShortName(digest)).toBeUndefined();
  expect(bytes32ToText(digest)).toBe(digest);
  expect(bytes32ToText('0x12')).toBe('0x12');
});

it('refuses names no reader could show', () => {
  expect(() => shortNameToBytes32('')).toThrow('1 to 31');
  expect(() => shortNameToBytes32('x'.repeat(32))).toThrow('1 to 31');
  expect(() => shortNameToBytes32('f1\u202e')).toThrow('printable ASCII');
});
