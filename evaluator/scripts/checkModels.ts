/**
 * Re-trains every bundled model in a temporary directory and checks that it reproduces the
 * committed model digest bit for bit. Exits 1 if any differs.
 *
 *   npm run check:models -w evaluator
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { modelDigest } from '../src/models/modelDigest.js';
import { trainModel, type TrainConfig } from '../src/train/trainModel.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), 'charter-train-'));
let failed = false;
for (const file of (await readdir(join(root, 'training')))
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const config = JSON.parse(await readFile(join(root, 'training', file), 'utf8')) as TrainConfig;
  const committed = await modelDigest(join(root, 'models', config.name));
  const retrained = (await trainModel(config, join(scratch, config.name))).digest;
  const ok = retrained === committed;
  failed ||= !ok;
  console.log(
    `${ok ? 'ok     ' : 'DIFFERS'}  ${config.name}  committed ${committed}  retrained ${retrained}`,
  );
}
process.exitCode = failed ? 1 : 0;
