import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openMigratedDatabase, type MigratedDatabase } from '@charter/indexer';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

import * as schema from './schema';

/** The drizzle database, whichever driver is behind it; transactions have the same type. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type OpenDatabase = MigratedDatabase<typeof schema>;

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/**
 * On PostgreSQL the relayer keeps a migrations journal of its own: drizzle's default one is the indexer's
 * too, and a shared journal would make each skip the other's migrations.
 */
const migrationsTable = '__relayer_migrations';

/** PostgreSQL when `databaseUrl` is given, PGlite in `dataDir` otherwise, migrated (as the indexer's). */
export function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<OpenDatabase> {
  return openMigratedDatabase({
    ...options,
    schema,
    migrationsFolder,
    migrationsTable,
    maxConnections: 4,
  });
}
