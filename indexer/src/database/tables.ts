import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';

import * as schema from './schema';

export interface TableInfo {
  table: PgTable;
  name: string;
  /** Property name → column. */
  columns: Record<string, PgColumn>;
  /** Property names of the primary key, in order. */
  key: string[];
}

const infos = new Map<PgTable, TableInfo>();

export function tableInfo(table: PgTable): TableInfo {
  let info = infos.get(table);
  if (info) return info;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const composite = getTableConfig(table).primaryKeys[0]?.columns;
  const keyColumns = composite ?? Object.values(columns).filter((column) => column.primary);
  // The primary key's columns are copies: match them by SQL name.
  const key = keyColumns.map((column) =>
    Object.keys(columns).find((name) => columns[name]!.name === column.name)!,
  );
  info = { table, name: getTableName(table), columns, key };
  infos.set(table, info);
  return info;
}

/** Every table of the schema, by SQL name. */
export const tablesByName: ReadonlyMap<string, TableInfo> = new Map(
  Object.values(schema)
    .filter((value) => is(value, PgTable))
    .map((table) => [getTableName(table as PgTable), tableInfo(table as PgTable)]),
);

/**
 * Tables holding what the chain says, as opposed to the sync's own bookkeeping and the off-chain data the
 * API receives (delegate statements).
 */
export const derivedTables: TableInfo[] = [...tablesByName.values()].filter(
  (info) => !['sync_state', 'blocks', 'journal', 'delegate_statements'].includes(info.name),
);
