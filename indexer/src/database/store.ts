import { and, eq, inArray, sql, type InferSelectModel, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

import type { Database } from './openDatabase';
import { tableInfo, type TableInfo } from './tables';

type Row = Record<string, unknown>;

const keyString = (info: TableInfo, row: Row) =>
  info.key.map((name) => String(row[name])).join('\u0000');

/**
 * The handlers' view of the database: rows are read once, changed in memory, and written back in bulk
 * (one upsert per table) when the sync flushes. Backfilling thousands of events then costs a handful
 * of statements instead of several per event. Cached rows stay valid across commits because the sync is
 * the only writer; anything that fails or rolls back clears the cache.
 */
export class Store {
  private readonly rows = new Map<PgTable, Map<string, Row | null>>();
  private readonly dirty = new Map<PgTable, Set<string>>();
  private readonly written = new Map<TableInfo, Row[]>();
  private db: Database | undefined;
  private size = 0;

  /** The transaction that reads and flushes go through. */
  use(db: Database): void {
    this.db = db;
  }

  async find<T extends PgTable>(
    table: T,
    key: Partial<InferSelectModel<T>>,
  ): Promise<InferSelectModel<T> | undefined> {
    const info = tableInfo(table);
    const cache = this.cache(table);
    const id = keyString(info, key);
    if (cache.has(id)) return (cache.get(id) ?? undefined) as InferSelectModel<T> | undefined;
    const where = and(...info.key.map((name) => eq(info.columns[name]!, key[name as never])));
    const [row] = await this.database()
      .select()
      .from(table as PgTable)
      .where(where)
      .limit(1);
    cache.set(id, (row as Row | undefined) ?? null);
    this.size++;
    return row as InferSelectModel<T> | undefined;
  }

  /** Loads the rows of many keys of a single-column key at once: one query instead of one per key. */
  async prefetch<T extends PgTable>(table: T, keys: unknown[]): Promise<void> {
    const info = tableInfo(table);
    const cache = this.cache(table);
    const [name] = info.key as [string];
    const missing = keys.filter((key) => !cache.has(String(key)));
    for (let i = 0; i < missing.length; i += 1000) {
      const slice = missing.slice(i, i + 1000);
      const rows = (await this.database()
        .select()
        .from(table as PgTable)
        .where(inArray(info.columns[name]!, slice))) as Row[];
      for (const key of slice) cache.set(String(key), null);
      for (const row of rows) cache.set(String(row[name]), row);
      this.size += slice.length;
    }
  }

  async get<T extends PgTable>(
    table: T,
    key: Partial<InferSelectModel<T>>,
  ): Promise<InferSelectModel<T>> {
    const row = await this.find(table, key);
    if (!row)
      throw new Error(`${tableInfo(table).name} has no row ${keyString(tableInfo(table), key)}`);
    return row;
  }

  /** Inserts or replaces a whole row. */
  set<T extends PgTable>(table: T, row: InferSelectModel<T>): InferSelectModel<T> {
    const info = tableInfo(table);
    const id = keyString(info, row as Row);
    const cache = this.cache(table);
    if (!cache.has(id)) this.size++;
    cache.set(id, row as Row);
    let dirty = this.dirty.get(table);
    if (!dirty) this.dirty.set(table, (dirty = new Set()));
    dirty.add(id);
    return row;
  }

  /** Changes some columns of an existing row. */
  async update<T extends PgTable>(
    table: T,
    key: Partial<InferSelectModel<T>>,
    change:
      Partial<InferSelectModel<T>> | ((row: InferSelectModel<T>) => Partial<InferSelectModel<T>>),
  ): Promise<InferSelectModel<T>> {
    const row = await this.get(table, key);
    // In place: the cached object is the row, and copying wide rows on every vote adds up.
    Object.assign(row, typeof change === 'function' ? change(row) : change);
    return this.set(table, row);
  }

  /** Writes every changed row: one statement per table, whatever the number of rows. */
  async flush(): Promise<void> {
    for (const [table, ids] of this.dirty) {
      const info = tableInfo(table);
      const cache = this.cache(table);
      const rows = [...ids].map((id) => cache.get(id)!);
      await this.database().execute(upsert(info, rows));
      this.written.set(info, [...(this.written.get(info) ?? []), ...rows]);
    }
    this.dirty.clear();
    // Backfill keeps touching the same proposals and delegates; a bounded cache is plenty.
    if (this.size > 200_000) {
      this.rows.clear();
      this.size = 0;
    }
  }

  /** The rows flushed since the last call, by table: what changed, for the live stream. */
  takeWritten(): Map<TableInfo, Row[]> {
    const written = new Map(this.written);
    this.written.clear();
    return written;
  }

  /** Forgets everything, after a failed transaction, a rollback, or a set-wise SQL update. */
  clear(): void {
    this.rows.clear();
    this.dirty.clear();
    this.written.clear();
    this.size = 0;
  }

  /** Forgets one table's rows (they must not be dirty). */
  forget(table: PgTable): void {
    this.rows.delete(table);
  }

  database(): Database {
    if (!this.db) throw new Error('the store is not bound to a transaction');
    return this.db;
  }

  private cache(table: PgTable): Map<string, Row | null> {
    let cache = this.rows.get(table);
    if (!cache) this.rows.set(table, (cache = new Map()));
    return cache;
  }
}

/**
 * `insert ... select * from unnest(...) on conflict do update`: each column travels as one array literal,
 * so a statement has as many parameters as the table has columns, not rows times columns. Building and
 * sending 20,000 rows this way is an order of magnitude faster than a multi-row VALUES list, and the same
 * on PostgreSQL and PGlite.
 */
function upsert(info: TableInfo, rows: Row[]): SQL {
  const names = Object.keys(info.columns);
  const columns = names.map((name) => info.columns[name]!);
  const arrays = names.map((name, i) => {
    const column = columns[i]!;
    const literal = rows.map((row) =>
      arrayElement(
        row[name] === null || row[name] === undefined ? null : column.mapToDriverValue(row[name]),
      ),
    );
    return sql`${`{${literal.join(',')}}`}::${sql.raw(column.getSQLType())}[]`;
  });
  const target = sql.join(
    info.key.map((name) => sql.identifier(info.columns[name]!.name)),
    sql`, `,
  );
  const updates = names
    .filter((name) => !info.key.includes(name))
    .map((name) =>
      sql.raw(`"${info.columns[name]!.name}" = excluded."${info.columns[name]!.name}"`),
    );
  const list = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  return sql`insert into ${sql.identifier(info.name)} (${list}) select * from unnest(${sql.join(arrays, sql`, `)}) on conflict (${target}) ${
    updates.length ? sql`do update set ${sql.join(updates, sql`, `)}` : sql`do nothing`
  }`;
}

const needsEscape = /[\\"]/;

function arrayElement(value: unknown): string {
  if (value === null) return 'NULL';
  const text = typeof value === 'string' ? value : String(value);
  return needsEscape.test(text) ? `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"` : `"${text}"`;
}
