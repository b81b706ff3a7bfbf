import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadSamples } from '../datasets/loadSamples.js';
import { ModelInvalidError, SuiteInvalidError } from '../errors.js';
import { createReport } from '../reports/createReport.js';
import { createTransformersRunner } from '../runners/createTransformersRunner.js';
import type { ClassifierRunner } from '../runners/types.js';
import { loadSuite } from '../suites/loadSuite.js';
import { sha256 } from '../util/sha256.js';
import { runSuite } from './runSuite.js';

const V2 = fileURLToPath(new URL('../../models/mail-guard-v2', import.meta.url));
let runner: ClassifierRunner;
beforeAll(async () => {
  runner = await createTransformersRunner(V2, { device: 'cpu' });
});
afterAll(() => runner.dispose());

describe('runSuite', () => {
  it('gives the same outcomes and report digest at batch sizes 1, 8 and 64', async () => {
    // The whole over-blocking suite (long HTML mail) and a slice of robustness (obfuscated text).
    const robustness = await loadSuite('robustness');
    const cases = [
      { suite: await loadSuite('over-blocking'), samples: undefined },
      { suite: robustness, samples: (await loadSamples(robustness)).slice(0, 200) },
    ];
    for (const { suite, samples } of cases) {
      const digests = new Set<string>();
      for (const batchSize of [1, 8, 64]) {
        const run = await runSuite({ suite, runner, batchSize, samples });
        digests.add(createReport(run, { modelDigest: sha256('model') }).digest);
      }
      expect(digests.size, suite.suite.name).toBe(1);
    }
  });

  it('reports progress up to the number of samples', async () => {
    const seen: number[] = [];
    const run = await runSuite({
      suite: await loadSuite('over-blocking'),
      runner,
      batchSize: 40,
      onProgress: (done, total) => seen.push(done / total),
    });
    expect(seen).toEqual([0, 40 / 99, 80 / 99, 1]);
    expect(run.outcomes.map((o) => o.id)).toEqual([...run.outcomes.map((o) => o.id)].sort());
  });

  it('refuses a runner of the wrong kind, or a model without the suite labels', async () => {
    await expect(
      runSuite({ suite: await loadSuite('mail-safety-refusals'), runner }),
    ).rejects.toThrow(SuiteInvalidError);
    const renamed = { ...runner, labels: ['LABEL_0', 'LABEL_1'] };
    await expect(
      runSuite({ suite: await loadSuite('over-blocking'), runner: renamed }),
    ).rejects.toThrow(ModelInvalidError);
  });
});
