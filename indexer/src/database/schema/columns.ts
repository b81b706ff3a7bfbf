import { bigint, numeric, text } from 'drizzle-orm/pg-core';

/** A uint256 (token amounts, proposal ids, metric values): exact, as bigint in TypeScript. */
export const uint256 = (name: string) => numeric(name, { precision: 78, scale: 0, mode: 'bigint' });

/** An address or a hash: lowercase 0x-hex text. */
export const hex = (name: string) => text(name).$type<`0x${string}`>();

/** A block number or a unix time in seconds: both fit a JavaScript number for ages to come. */
export const int64 = (name: string) => bigint(name, { mode: 'number' });
