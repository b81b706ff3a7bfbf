import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { loadSamples } from '../datasets/loadSamples.js';
import { modelDigest } from '../models/modelDigest.js';
import { listSuites } from '../suites/listSuites.js';
import { tempDir } from '../testing/fixtures.js';
import { trainingSamples, trainModel, type TrainConfig } from './trainModel.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('trainModel', () => {
  // mail-guard-v2 takes about twice as long; `npm run check:models` re-trains both.
  it('re-trains mail-guard-v1 to exactly the committed model digest', async () => {
    const config = JSON.parse(
      await readFile(join(root, 'training/mail-guard-v1.json'), 'utf8'),
    ) as TrainConfig;
    const result = await trainModel(config, join(await tempDir(), 'mail-guard-v1'));
    expect(result.digest).toBe(await modelDigest(join(root, 'models/mail-guard-v1')));
  });

  it('trains on nothing that any bundled suite holds out', async () => {
    const suites = (await listSuites()).filter((s) => s.suite.task === 'text-classification');
    const training = new Set(
      (await trainingSamples(suites.filter((s) => s.suite.name !== 'robustness'))).map((s) => s.id),
    );
    expect(training.size).toBeGreaterThan(3000);
    for (const suite of suites)
      for (const sample of await loadSamples(suite))
        expect(training.has(sample.id.split('#')[0]!)).toBe(false);
  });
});
