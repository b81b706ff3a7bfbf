import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON: sorted keys, no whitespace, ECMAScript number formatting. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}
