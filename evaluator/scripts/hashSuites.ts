/**
 * Records the sha256 of every dataset of every bundled suite (or of the suite files given as
 * arguments) in the suite file itself. Run it after changing a dataset on purpose; the new
 * hashes give the suite a new id, which is the point.
 *
 *   npx tsx scripts/hashSuites.ts [suite.json ...]
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { hashDataset } from '../src/datasets/readDataset.js';
import { BUNDLED_SUITES_DIR, loadSuite } from '../src/suites/loadSuite.js';
import type { Suite } from '../src/suites/types.js';
import { formatJson } from '../src/util/formatJson.js';

const args = process.argv.slice(2);
const paths = args.length
  ? args.map((p) => resolve(p))
  : (await readdir(BUNDLED_SUITES_DIR))
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(BUNDLED_SUITES_DIR, f));

for (const path of paths) {
  const suite = JSON.parse(await readFile(path, 'utf8')) as Suite;
  for (const decl of suite.datasets) {
    const { sha256, files } = await hashDataset(decl, path);
    decl.sha256 = sha256;
    if (decl.format === 'spamassassin') decl.files = files.length;
  }
  await writeFile(path, formatJson(suite));
  const loaded = await loadSuite(path);
  console.log(`${loaded.id}  ${suite.name}@${suite.version}  (${path})`);
}
