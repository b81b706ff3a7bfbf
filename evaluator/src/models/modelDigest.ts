import { stat } from 'node:fs/promises';

import { ModelInvalidError } from '../errors.js';
import { fileManifest, manifestDigest, type ManifestEntry } from '../util/fileManifest.js';
import type { Hex32 } from '../util/sha256.js';

/**
 * A model's digest: sha256 of the RFC 8785 canonical JSON of the sorted manifest of
 * (path, size, sha256) of every file in its directory. It is the model id on-chain.
 */
export async function modelDigest(dir: string): Promise<Hex32> {
  return manifestDigest(await modelManifest(dir));
}

/** The manifest behind `modelDigest`, for people who want to see which file changed. */
export async function modelManifest(dir: string): Promise<ManifestEntry[]> {
  const info = await stat(dir).catch((cause: unknown) => {
    throw new ModelInvalidError(`model directory ${dir} does not exist`, { dir }, { cause });
  });
  if (!info.isDirectory())
    throw new ModelInvalidError(`model path ${dir} is not a directory`, { dir });
  return fileManifest(dir);
}
