import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPostgresDatabase } from '../testing/testPostgres';
import { openDatabase } from './openDatabase';

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
beforeAll(async () => {
  database = await createPostgresDatabase();
});
afterAll(() => database?.drop());

describe('the notifier on a PostgreSQL database the indexer already uses', () => {
  it('migrates into its own schema beside same-named tables and a later journal entry, and reads its own', async () => {
    // What the indexer leaves in a database: tables of the same names in `public`, and drizzle's default
    // journal with a migration newer than any of the notifier's.
    const other = postgres(database.url, { max: 1, onnotice: () => {} });
    await other.unsafe(`
      create table public.blocks (indexer_column text);
      create table public.models (indexer_column text);
      create table public.results (indexer_column text);
      create schema drizzle;
      create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint);
      insert into drizzle.__drizzle_migrations (hash, created_at) values ('indexer', 9999999999999);
    `);

    const opened = await openDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    try {
      const tables = await other<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = 'notifier'`;
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['blocks', 'models', 'results', 'subscriptions', 'deliveries']),
      );
      // The indexer's tables are untouched.
      const [blocks] = await other<{ columns: string }[]>`
        select string_agg(column_name, ',') as columns from information_schema.columns
        where table_schema = 'public' and table_name = 'blocks'`;
      expect(blocks?.columns).toBe('indexer_column');
    } finally {
      await opened.close();
      await other.end();
    }
    // Opened again, nothing is migrated twice.
    const again = await openDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    await again.close();
  });
});
