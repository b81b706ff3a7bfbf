import { bigint, numeric, text } from 'drizzle-orm/pg-core';

/** A uint256 (proposal ids, nonces, wei): exact, as bigint in TypeScript. */
export const uint256 = (name: string) => numeric(name, { precision: 78, scale: 0, mode: 'bigint' });

/** An address, a hash or other bytes: lowercase 0x-hex text. */
export const hex = (name: string) => text(name).$type<`0x${string}`>();

/** A block number, or milliseconds since 1970. */
export const int64 = (name: string) => bigint(name, { mode: 'number' });
