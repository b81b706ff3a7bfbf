import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { canonicalJson } from './canonicalJson.js';
import { sha256, type Hex32 } from './sha256.js';

export interface ManifestEntry {
  /** Path relative to the root, with forward slashes. */
  path: string;
  size: number;
  sha256: Hex32;
}

/**
 * Lists every regular file under `root` (recursively, symlinks ignored) that `include` accepts,
 * sorted by path, with its size and sha256. `onFile` sees each file's bytes, so a caller can use
 * exactly the bytes that were hashed instead of reading the file a second time.
 */
export async function fileManifest(
  root: string,
  options: {
    include?: (path: string) => boolean;
    onFile?: (entry: ManifestEntry, bytes: Buffer) => void;
  } = {},
): Promise<ManifestEntry[]> {
  const paths = (await listFiles(root)).filter((path) => options.include?.(path) ?? true);
  paths.sort(compareCodeUnits);
  const entries: ManifestEntry[] = [];
  for (const path of paths) {
    const bytes = await readFile(join(root, path));
    const entry = {
      path,
      size: bytes.length,
      sha256: `0x${createHash('sha256').update(bytes).digest('hex')}`,
    } as const;
    options.onFile?.(entry, bytes);
    entries.push(entry);
  }
  return entries;
}

/** The digest of a manifest: sha256 of its RFC 8785 canonical JSON. */
export function manifestDigest(entries: ManifestEntry[]): Hex32 {
  return sha256(canonicalJson(entries));
}

async function listFiles(root: string): Promise<string[]> {
  const dirents = await readdir(root, { recursive: true, withFileTypes: true });
  return dirents
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
