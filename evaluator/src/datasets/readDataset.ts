import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

import { DatasetDigestMismatchError, DatasetNotFoundError } from '../errors.js';
import type { DatasetDecl } from '../suites/types.js';
import { fileManifest, manifestDigest } from '../util/fileManifest.js';
import { sha256, type Hex32 } from '../util/sha256.js';

export interface DatasetFile {
  /** Relative to the dataset path (`spamassassin`), or the file's base name (`jsonl`). */
  path: string;
  bytes: Buffer;
}

/**
 * Reads a dataset's bytes and checks them against the suite's sha256 before anyone uses them:
 * the hash covers exactly the bytes returned, so what is scored is what was declared.
 * A `spamassassin` dataset is a directory of `.txt` messages, hashed as a file manifest.
 */
export async function readDataset(decl: DatasetDecl, suitePath: string): Promise<DatasetFile[]> {
  const { files, sha256: actual, path } = await hashDataset(decl, suitePath);
  if (actual !== decl.sha256) {
    const counts =
      decl.format === 'spamassassin'
        ? `; ${files.length} files found${decl.files === undefined ? '' : `, ${decl.files} declared`}`
        : '';
    throw new DatasetDigestMismatchError(
      `dataset "${decl.name}" has changed: its sha256 is ${actual} but the suite declares ` +
        `${decl.sha256}${counts} (${path})`,
      { dataset: decl.name, path, expected: decl.sha256, actual, files: files.length },
    );
  }
  return files;
}

/** Reads a dataset and computes its sha256, without comparing it to the declaration. */
export async function hashDataset(
  decl: DatasetDecl,
  suitePath: string,
): Promise<{ files: DatasetFile[]; sha256: Hex32; path: string }> {
  const path = datasetPath(decl, suitePath);
  try {
    if (decl.format === 'jsonl') {
      const bytes = await readFile(path);
      return { files: [{ path: decl.path, bytes }], sha256: sha256(bytes), path };
    }
    const files: DatasetFile[] = [];
    const manifest = await fileManifest(path, {
      include: (p) => p.endsWith('.txt') && !p.includes('/'),
      onFile: (entry, bytes) => files.push({ path: entry.path, bytes }),
    });
    return { files, sha256: manifestDigest(manifest), path };
  } catch (cause) {
    throw new DatasetNotFoundError(
      `dataset "${decl.name}": cannot read ${path}`,
      { dataset: decl.name, path },
      { cause },
    );
  }
}

function datasetPath(decl: DatasetDecl, suitePath: string): string {
  if (decl.package === undefined) return resolve(dirname(suitePath), decl.path);
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve(`${decl.package}/package.json`));
  } catch (cause) {
    throw new DatasetNotFoundError(
      `dataset "${decl.name}": npm package ${decl.package} is not installed`,
      { dataset: decl.name, package: decl.package },
      { cause },
    );
  }
  return resolve(root, decl.path);
}
