import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { SuiteInvalidError } from '../errors.js';
import { parseSuite } from './parseSuite.js';
import { datasetDigest, suiteId } from './suiteId.js';
import type { LoadedSuite } from './types.js';

/** The suites that ship with the evaluator. */
export const BUNDLED_SUITES_DIR = fileURLToPath(new URL('../../suites/', import.meta.url));

/**
 * Loads a suite from a file path, or by the name of a bundled suite (`spam-detection`), and
 * validates it. Dataset bytes are not read here: `loadSamples` checks their hashes as it reads.
 */
export async function loadSuite(ref: string): Promise<LoadedSuite> {
  const path = resolveSuitePath(ref);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new SuiteInvalidError(
      `suite ${ref}: cannot read JSON from ${path}`,
      { ref, path },
      { cause },
    );
  }
  const suite = parseSuite(value, ref);
  return { suite, id: suiteId(suite), datasetDigest: datasetDigest(suite.datasets), path };
}

function resolveSuitePath(ref: string): string {
  if (existsSync(ref)) return resolve(ref);
  const bundled = resolve(BUNDLED_SUITES_DIR, `${ref}.json`);
  if (/^[\w.-]+$/.test(ref) && existsSync(bundled)) return bundled;
  throw new SuiteInvalidError(`suite ${ref}: no such file, and no bundled suite of that name`, {
    ref,
  });
}
