import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase } from '../src/database/openDatabase';
import { createTestDatabase, type DatabaseKind } from '../src/testing/testDatabase';

/**
 * An empty database of `kind` for the indexer under measurement, created (initdb and migrations) before any
 * clock starts, and how to drop it afterwards.
 */
export async function freshDatabase(kind: DatabaseKind): Promise<{
  options: { databaseUrl?: string; dataDir: string };
  drop: () => Promise<void>;
}> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'charter-bench-'));
    await (await openDatabase({ dataDir })).close();
    return {
      options: { dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createTestDatabase('postgres');
  await (await openDatabase(database.options)).close();
  return { options: database.options, drop: () => database.drop() };
}
