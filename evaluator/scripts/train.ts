/**
 * Trains a bundled model from its recipe in training/ and writes it to models/<name>/.
 *
 *   npm run train -w evaluator -- mail-guard-v2 [--out <dir>]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { trainModel, type TrainConfig } from '../src/train/trainModel.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' } },
});
const root = new URL('../', import.meta.url);
for (const name of positionals.length ? positionals : ['mail-guard-v1', 'mail-guard-v2']) {
  const config = JSON.parse(
    await readFile(new URL(`training/${name}.json`, root), 'utf8'),
  ) as TrainConfig;
  const out = values.out ?? fileURLToPath(new URL(`models/${name}`, root));
  const started = performance.now();
  const result = await trainModel(config, out);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${result.digest}  ${name}: ${result.trainingSamples} samples, vocab ${result.vocabSize}, ${seconds}s -> ${result.dir}`,
  );
}
