import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

import { BadRequest } from './params';

/**
 * Keyset pagination. A sort is a list of columns ending in a unique one, all in one direction; a cursor
 * is the sort's name and the last row's values, base64url-encoded, and the next page is the rows after
 * it in that order. Pages stay stable while new rows arrive.
 */
export interface Sort {
  name: string;
  columns: PgColumn[];
  direction: 'asc' | 'desc';
}

export function encodeCursor(sort: Sort, row: unknown[]): string {
  const json = JSON.stringify([sort.name, row.map(String)]);
  return Buffer.from(json).toString('base64url');
}

/** The condition selecting rows after the cursor, or undefined without one. */
export function afterCursor(sort: Sort, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let values: string[];
  try {
    const [name, parsed] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
      string,
      string[],
    ];
    if (name !== sort.name)
      throw new BadRequest('cursor', `was made for sort "${name}", not "${sort.name}"`);
    if (!Array.isArray(parsed) || parsed.length !== sort.columns.length) throw new Error('shape');
    if (!parsed.every((value, i) => isValid(sort.columns[i]!, value))) throw new Error('values');
    values = parsed;
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest('cursor', 'is not a cursor this API returned');
  }
  const columns = sql.join(sort.columns, sql`, `);
  const bounds = sql.join(
    sort.columns.map((column, i) => sql`cast(${values[i]} as ${sql.raw(column.getSQLType())})`),
    sql`, `,
  );
  return sort.direction === 'desc'
    ? sql`(${columns}) < (${bounds})`
    : sql`(${columns}) > (${bounds})`;
}

export function orderBy(sort: Sort): SQL[] {
  return sort.columns.map((column) =>
    sort.direction === 'desc' ? sql`${column} desc` : sql`${column} asc`,
  );
}

/** The page and the cursor after it, from rows fetched with `limit + 1`. */
export function page<Row, Item>(
  rows: Row[],
  limit: number,
  sort: Sort,
  keyOf: (row: Row) => unknown[],
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(sort, keyOf(last)) : null;
  return { items: items.map(toItem), nextCursor };
}

function isValid(column: PgColumn, value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 100) return false;
  const type = column.getSQLType();
  if (/numeric|bigint|integer|smallint/.test(type)) return /^-?\d+$/.test(value);
  return true;
}
