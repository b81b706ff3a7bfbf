import { sql } from 'drizzle-orm';

import type { Database } from './openDatabase';
import { queryRows } from './queryRows';
import { blocks, journal } from './schema';
import { tablesByName } from './tables';

type Row = Record<string, unknown>;

/**
 * Undoes every journaled change of blocks after `ancestor`, newest first, and forgets those blocks.
 * Returns the rows it touched, by table name, for the live stream.
 */
export async function rollbackTo(tx: Database, ancestor: number): Promise<[string, Row][]> {
  // The row goes back to PostgreSQL as the text it came as: JSON.parse would round uint256s. Its
  // fields come as strings, for the live stream.
  const entries = await queryRows<{
    table_name: string;
    op: string;
    raw: string;
    fields: string;
  }>(
    tx,
    sql`select table_name, op, "row"::text as raw,
          (select jsonb_object_agg(key, value) from jsonb_each_text("row"))::text as fields
        from ${journal} where ${journal.blockNumber} > ${ancestor} order by ${journal.id} desc`,
  );
  const touched: [string, Row][] = [];
  for (const entry of entries) {
    const info = tablesByName.get(entry.table_name);
    if (!info) continue;
    const table = sql.identifier(info.name);
    const record = sql`jsonb_populate_record(null::${table}, ${entry.raw}::jsonb)`;
    const key = sql.join(
      info.key.map((name) => sql.identifier(info.columns[name]!.name)),
      sql`, `,
    );
    // An insert is undone by deleting the row; an update or delete by putting the old row back.
    await tx.execute(sql`delete from ${table} where (${key}) = (select ${key} from ${record})`);
    if (entry.op !== 'INSERT') await tx.execute(sql`insert into ${table} select * from ${record}`);
    touched.push([info.name, JSON.parse(entry.fields) as Row]);
  }
  await tx.execute(sql`delete from ${journal} where ${journal.blockNumber} > ${ancestor}`);
  await tx.execute(sql`delete from ${blocks} where ${blocks.number} > ${ancestor}`);
  return touched;
}
