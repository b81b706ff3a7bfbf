import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

import { openMigratedDatabase, type MigratedDatabase } from './openMigratedDatabase';
import * as schema from './schema';

/** The drizzle database, whichever driver is behind it; transactions have the same type. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type OpenDatabase = MigratedDatabase<typeof schema>;

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** The index: PostgreSQL when `databaseUrl` is given, PGlite in `dataDir` otherwise, migrated. */
export function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<OpenDatabase> {
  return openMigratedDatabase({ ...options, schema, migrationsFolder });
}
