// Helpers shared by tests: temporary directories and small suites written on the fly.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Suite } from '../suites/types.js';
import { sha256 } from '../util/sha256.js';

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'charter-eval-'));
}

/** Writes `rows` as a JSONL dataset and a suite that declares it (hash included); returns the suite path. */
export async function writeJsonlSuite(
  dir: string,
  rows: Record<string, unknown>[],
  suite: Partial<Suite> = {},
): Promise<string> {
  const data = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  await writeFile(join(dir, 'data.jsonl'), data);
  const declaration: Suite = {
    format: 'charter-suite/1',
    name: 'fixture',
    version: '0.0.1',
    description: 'test fixture',
    task: 'text-classification',
    labels: ['ham', 'spam'],
    datasets: [{ name: 'rows', format: 'jsonl', path: 'data.jsonl', sha256: sha256(data) }],
    input: { maxChars: 4000 },
    seed: 'fixture',
    metrics: ['accuracy', 'f1'],
    ...suite,
  };
  const path = join(dir, `${declaration.name}.json`);
  await writeFile(path, JSON.stringify(declaration, null, 2));
  return path;
}
