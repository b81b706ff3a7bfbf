import { mkdirSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

export interface MigratedDatabase<TSchema extends Record<string, unknown>> {
  /** The drizzle database, whichever driver is behind it; transactions have the same type. */
  db: PgDatabase<PgQueryResultHKT, TSchema>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface MigratedDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** PostgreSQL; PGlite in `dataDir` when unset (`memory://` keeps it in memory). */
  databaseUrl?: string;
  dataDir: string;
  /** The drizzle schema and the folder of its committed migrations (drizzle-kit's output). */
  schema: TSchema;
  migrationsFolder: string;
  /**
   * The migrations journal on PostgreSQL (in drizzle's schema `drizzle`). Each service sharing a database
   * needs its own: drizzle applies only migrations newer than the last one its journal records.
   */
  migrationsTable?: string;
  /** PostgreSQL connections in the pool. */
  maxConnections?: number;
}

/**
 * Opens PostgreSQL when `databaseUrl` is given, PGlite in `dataDir` otherwise, and brings the schema up to
 * date with the committed migrations: the same migrations for both. The indexer, the relayer and the
 * notifier each open theirs through it.
 */
export async function openMigratedDatabase<TSchema extends Record<string, unknown>>(
  options: MigratedDatabaseOptions<TSchema>,
): Promise<MigratedDatabase<TSchema>> {
  const { schema, migrationsFolder, migrationsTable } = options;
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema });
    await migratePostgres(db, { migrationsFolder, migrationsTable });
    return {
      db: db as unknown as PgDatabase<PgQueryResultHKT, TSchema>,
      kind: 'postgres',
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as PgDatabase<PgQueryResultHKT, TSchema>,
    kind: 'pglite',
    close: () => client.close(),
  };
}
