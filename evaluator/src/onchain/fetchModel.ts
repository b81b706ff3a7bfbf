import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';

import { modelDigest } from '../models/modelDigest.js';
import { ModelDigestMismatchError } from '../errors.js';
import { ModelFetchError } from './errors.js';

/** The files of a transformers.js model directory, fetched from an http(s) URI. */
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

/**
 * Makes a registered model available locally and proves it is the registered artifact: a `file://`
 * directory is used in place, an `http(s)://` one is downloaded into `cacheDir`. Throws a
 * ModelDigestMismatchError if the files' digest is not the registered one.
 */
export async function fetchModel(
  uri: string,
  expectedDigest: Hex,
  cacheDir: string,
): Promise<string> {
  let dir: string;
  if (uri.startsWith('file://')) {
    dir = fileURLToPath(uri);
  } else if (/^https?:\/\//.test(uri)) {
    dir = join(cacheDir, expectedDigest);
    for (const file of MODEL_FILES) {
      const url = `${uri.replace(/\/$/, '')}/${file}`;
      const response = await fetch(url).catch((cause: Error) => {
        throw new ModelFetchError(`cannot fetch ${url}: ${cause.message}`, { url }, { cause });
      });
      if (!response.ok)
        throw new ModelFetchError(`cannot fetch ${url}: HTTP ${response.status}`, { url });
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), new Uint8Array(await response.arrayBuffer()));
    }
  } else {
    throw new ModelFetchError(`unsupported model URI ${uri}: use file:// or http(s)://`, { uri });
  }
  const actual = await modelDigest(dir).catch((cause: Error) => {
    throw new ModelFetchError(
      `cannot read the model at ${uri}: ${cause.message}`,
      { uri },
      { cause },
    );
  });
  if (actual !== expectedDigest) {
    throw new ModelDigestMismatchError(
      `the model at ${uri} has digest ${actual}, not the registered ${expectedDigest}: not evaluated`,
      { uri, registered: expectedDigest, actual },
    );
  }
  return dir;
}
