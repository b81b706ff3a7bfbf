/** A request the API cannot answer as asked: a 400 that names the parameter and says why. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** A thing that does not exist: a 404. */
export class NotFound extends Error {}

type Query = Record<string, string | undefined>;

// C0 controls and DEL: a NUL must never reach PostgreSQL, and no parameter of this API needs any of them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f]/;

/**
 * Checks every query parameter of `url` before a route reads it: each is given at most once, never
 * array-style (`limit[]=1`), and without control characters. A route reads one value per name, so a
 * repeated one would otherwise be silently dropped.
 */
export function checkQuery(url: string): void {
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(search)) {
    const bracket = /^([^[\]]*)\[.*\]$/.exec(name);
    if (bracket) throw new BadRequest(bracket[1]!, 'must be a single value, not an array');
    if (seen.has(name)) throw new BadRequest(name, 'must be given once');
    seen.add(name);
    if (controlCharacters.test(name) || controlCharacters.test(value)) {
      throw new BadRequest(name, 'must not contain control characters');
    }
  }
}

export function limitParam(query: Query): number {
  const raw = query.limit;
  if (raw === undefined) return 50;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 200) {
    throw new BadRequest('limit', 'must be an integer from 1 to 200');
  }
  return value;
}

export function enumParam<const T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (!allowed.includes(raw as T)) {
    throw new BadRequest(name, `must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** A comma-separated list of allowed values. */
export function enumListParam<const T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const values = raw.split(',').map((value) => value.trim());
  const wrong = values.find((value) => !allowed.includes(value as T));
  if (wrong !== undefined) {
    throw new BadRequest(name, `"${wrong}" is not one of ${allowed.join(', ')}`);
  }
  return values as T[];
}

export function addressParam(value: string | undefined, name: string): `0x${string}` | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new BadRequest(name, 'must be a 0x-prefixed 20-byte hex address');
  }
  return value.toLowerCase() as `0x${string}`;
}

export function bytes32Param(value: string | undefined, name: string): `0x${string}` | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new BadRequest(name, 'must be a 0x-prefixed 32-byte hex value');
  }
  return value.toLowerCase() as `0x${string}`;
}

/** A proposal id: a uint256 in decimal (as the API writes it) or 0x-hex. */
export function uint256Param(value: string, name: string): bigint {
  const valid = /^\d{1,78}$/.test(value) || /^0x[0-9a-fA-F]{1,64}$/.test(value);
  const parsed = valid ? BigInt(value) : -1n;
  if (parsed < 0n || parsed >= 2n ** 256n) {
    throw new BadRequest(name, 'must be a uint256, in decimal or 0x-hex');
  }
  return parsed;
}

/** A result as the API names it: the registry's result id and the report digest joined by ":". */
export function resultIdParam(value: string, name: string): string {
  if (!/^0x[0-9a-fA-F]{64}:0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new BadRequest(name, 'must be a result id and a report digest joined by ":"');
  }
  return value.toLowerCase();
}

/** A result version (`resultId:reportDigest`) or a registry result id (every version of the slot). */
export function resultFilterParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^0x[0-9a-fA-F]{64}(:0x[0-9a-fA-F]{64})?$/.test(value)) {
    throw new BadRequest(
      name,
      'must be a registry result id (0x-prefixed 32-byte hex), or one and a report digest joined by ":"',
    );
  }
  return value.toLowerCase();
}

/** A dispute id: the registry numbers them 1, 2, 3... */
export function disputeIdParam(value: string, name: string): number {
  const parsed = Number(value);
  if (!/^[1-9]\d{0,14}$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new BadRequest(name, 'must be a dispute id: a whole number from 1');
  }
  return parsed;
}

export function textParam(query: Query, name: string, maxLength = 200): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > maxLength) throw new BadRequest(name, `must be at most ${maxLength} characters`);
  if (controlCharacters.test(raw))
    throw new BadRequest(name, 'must not contain control characters');
  return raw;
}

/** Escapes `%`, `_` and `\` so user text matches literally in LIKE patterns. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
