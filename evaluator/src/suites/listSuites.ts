import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { BUNDLED_SUITES_DIR, loadSuite } from './loadSuite.js';
import type { LoadedSuite } from './types.js';

/** Every suite in `dir` (default: the bundled suites), sorted by file name. */
export async function listSuites(dir = BUNDLED_SUITES_DIR): Promise<LoadedSuite[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map((f) => loadSuite(join(dir, f))));
}
