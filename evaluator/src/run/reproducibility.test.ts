import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { writeReduceSumModel } from '../models/writeReduceSumModel.js';
import { verifyReport } from '../reports/verifyReport.js';
import { writeReport } from '../reports/writeReport.js';
import { createTransformersRunner } from '../runners/createTransformersRunner.js';
import { loadSamples } from '../datasets/loadSamples.js';
import type { ClassificationSample } from '../datasets/types.js';
import { loadSuite } from '../suites/loadSuite.js';
import { tempDir } from '../testing/fixtures.js';
import { evaluateModel } from './evaluateModel.js';

// A model that is not ours (ReduceSum over the padded sequence) gives float32 scores that change
// with the batch size; reports keep the suite's 4 decimals, so they verify at any batch size.
let modelDir: string;
beforeAll(async () => {
  modelDir = await writeReduceSumModel(join(await tempDir(), 'reduce-sum'));
});

describe('a report of a batch-dependent model', () => {
  it('has raw scores that change with the batch size (the hazard)', async () => {
    const runner = await createTransformersRunner(modelDir, { device: 'cpu' });
    const texts = ((await loadSamples(await loadSuite('over-blocking'))) as ClassificationSample[])
      .slice(0, 16)
      .map((s) => s.text);
    const one: number[] = [];
    for (const text of texts) one.push((await runner.classify([text]))[0]![1]!);
    const all = (await runner.classify(texts)).map((p) => p[1]!);
    await runner.dispose();
    expect(one.filter((p, i) => p !== all[i]).length).toBeGreaterThan(0);
    for (const [i, p] of one.entries()) expect(Math.abs(p - all[i]!)).toBeLessThan(1e-4);
  });

  it('verifies at batch 1, 8 and 64', async () => {
    const report = await evaluateModel({
      suite: 'over-blocking',
      modelDir,
      device: 'cpu',
      batchSize: 64,
    });
    expect(report.suite.scoreDecimals).toBe(4);
    const path = join(await tempDir(), 'report.json');
    await writeReport(report, path);
    for (const batchSize of [1, 8, 64]) {
      const result = await verifyReport(path, { batchSize });
      expect({ batchSize, verdict: result.verdict, metrics: result.metrics }).toEqual({
        batchSize,
        verdict: expect.stringMatching(/^(exact|within-precision)$/),
        metrics: [],
      });
      expect(result.samples.every((d) => d.withinPrecision)).toBe(true);
      expect(result.notReplayed).toEqual(
        batchSize === 64 ? [] : [{ setting: 'batchSize', recorded: '64', here: String(batchSize) }],
      );
    }
  });
});
