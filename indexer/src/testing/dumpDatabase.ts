import { asc } from 'drizzle-orm';

import { openDatabase } from '../database/openDatabase';
import { syncState } from '../database/schema';
import { derivedTables } from '../database/tables';

/**
 * Every derived row, each table in key order, with the checkpoint: two databases that index the same
 * chain must dump equal, however they got there.
 */
export async function dumpDatabase(options: { databaseUrl?: string; dataDir: string }) {
  const database = await openDatabase(options);
  try {
    const tables: Record<string, unknown[]> = {};
    for (const info of derivedTables) {
      const order = info.key.map((name) => asc(info.columns[name]!));
      tables[info.name] = JSON.parse(
        JSON.stringify(
          await database.db
            .select()
            .from(info.table)
            .orderBy(...order),
          (_, value) => (typeof value === 'bigint' ? value.toString() : value),
        ),
      ) as unknown[];
    }
    const [checkpoint] = await database.db.select().from(syncState);
    return { checkpoint, tables };
  } finally {
    await database.close();
  }
}
