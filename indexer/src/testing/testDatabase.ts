import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

import { openDatabase } from '../database/openDatabase';

export type DatabaseKind = 'pglite' | 'postgres';

/** PostgreSQL of these machines (and CI's); `TEST_DATABASE_URL` points elsewhere. */
export const testPostgresUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** What to pass to the indexer: `databaseUrl` for PostgreSQL, `dataDir` for PGlite. */
  options: { databaseUrl?: string; dataDir: string };
  drop(): Promise<void>;
}

/**
 * A fresh, empty database: a PGlite directory, or a new PostgreSQL database (dropped afterwards). Fails
 * with a clear message when PostgreSQL is unreachable: these tests never skip it.
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'charter-indexer-'));
    const copy = await PGlite.create({ dataDir, loadDataDir: new Blob([await pgliteTemplate()]) });
    await copy.close();
    return {
      options: { dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `charter_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(testPostgresUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (cause) {
    await admin.end();
    throw new Error(
      `PostgreSQL is required by the indexer tests and is unreachable at ${testPostgresUrl} ` +
        `(set TEST_DATABASE_URL to another server): ${(cause as Error).message}`,
      { cause },
    );
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString(), dataDir: 'unused' },
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/**
 * PGlite runs initdb on first start, which takes seconds; tests start from a copy of a migrated data
 * directory instead, made once per machine and migration set.
 */
async function pgliteTemplate(): Promise<Buffer> {
  const hash = createHash('sha256');
  for (const name of readdirSync(migrationsDir).sort()) {
    if (name.endsWith('.sql')) hash.update(readFileSync(join(migrationsDir, name)));
  }
  const path = join(tmpdir(), `charter-indexer-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!existsSync(path)) {
    const database = await openDatabase({ dataDir: 'memory://' });
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir('none');
    await database.close();
    const partial = `${path}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  }
  return readFileSync(path);
}
