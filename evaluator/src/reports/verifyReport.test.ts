import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { shortNameToBytes32 } from '@charter/contracts/protocol';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  ModelDigestMismatchError,
  ReportDigestMismatchError,
  ReportInvalidError,
} from '../errors.js';
import { reportEvidence, sampleProof } from '../onchain/evidence.js';
import { evaluateModel } from '../run/evaluateModel.js';
import { createTransformersRunner } from '../runners/createTransformersRunner.js';
import { tempDir } from '../testing/fixtures.js';
import { canonicalJson } from '../util/canonicalJson.js';
import { readReport } from './readReport.js';
import { reportDigest } from './reportDigest.js';
import { SAMPLE_LEAF_ENCODING } from './samplesTree.js';
import type { Report } from './types.js';
import { verifyReport } from './verifyReport.js';
import { writeReport } from './writeReport.js';

const model = (name: string) => fileURLToPath(new URL(`../../models/${name}`, import.meta.url));
let path: string;
let report: Report;

beforeAll(async () => {
  report = await evaluateModel({
    suite: 'over-blocking',
    modelDir: model('mail-guard-v2'),
    device: 'cpu',
    batchSize: 16,
  });
  path = join(await tempDir(), 'report.json');
  await writeReport(report, path);
});

async function edited(change: (r: Report) => void, redigest = false): Promise<string> {
  const copy = JSON.parse(await readFile(path, 'utf8')) as Report;
  change(copy);
  if (redigest) copy.digest = reportDigest(copy);
  const out = join(await tempDir(), 'edited.json');
  await writeFile(out, JSON.stringify(copy, null, 2));
  return out;
}

describe('reports', () => {
  it('are written as RFC 8785 canonical JSON with metrics as WAD strings', async () => {
    const text = await readFile(path, 'utf8');
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(report.metrics).toEqual([
      { id: 'false_positive_rate', value: expect.stringMatching(/^\d+$/) },
    ]);
    expect(report.format).toBe('charter-report/2');
    expect(report.runner).toEqual({ name: 'transformers.js', dtype: 'fp32' });
    expect(report.suite.scoreDecimals).toBe(4);
    // Scores at the suite's 4 decimals, predictions read from them.
    for (const s of report.samples) {
      expect(BigInt(s.score) % 10n ** 14n).toBe(0n);
      expect(s.prediction).toBe(BigInt(s.score) > 5n * 10n ** 17n ? 1 : 0);
    }
    expect(report.host.settings).toMatchObject({ device: 'cpu', batchSize: 16, dtype: 'fp32' });
    expect(await readReport(path)).toEqual(report);
  });

  it('keep host facts and timings out of the digest', async () => {
    const other = await edited((r) => {
      r.host.hostname = 'elsewhere';
      r.timings.inferMs = 1;
    });
    expect((await readReport(other)).digest).toBe(report.digest);
  });

  it('are refused when edited after they were produced', async () => {
    const flipped = await edited((r) => {
      r.samples[0]!.prediction = 1 - r.samples[0]!.prediction;
    });
    await expect(readReport(flipped)).rejects.toThrow(ReportDigestMismatchError);
    await expect(readReport(flipped)).rejects.toThrow(/was modified after it was produced/);
    // Re-digesting does not help: the metrics and Merkle root no longer match the samples.
    const redigested = await edited((r) => {
      r.samples[0]!.prediction = 1 - r.samples[0]!.prediction;
    }, true);
    await expect(readReport(redigested)).rejects.toThrow(ReportInvalidError);
    await expect(readReport(redigested)).rejects.toThrow(
      /metric false_positive_rate is \d+ but its samples give/,
    );
  });

  it('carry a Merkle root the contracts can verify a sample against', () => {
    const { leaf, proof } = sampleProof(report, report.samples[3]!.id);
    expect(StandardMerkleTree.verify(report.samplesRoot, SAMPLE_LEAF_ENCODING, leaf, proof)).toBe(
      true,
    );
    expect(
      StandardMerkleTree.verify(
        report.samplesRoot,
        SAMPLE_LEAF_ENCODING,
        [leaf[0], leaf[1], 1n - leaf[2], leaf[3]],
        proof,
      ),
    ).toBe(false);
    expect(reportEvidence(report, 'file:///r.json')).toEqual({
      modelId: report.model.digest,
      suiteId: report.suite.id,
      metricIds: [shortNameToBytes32('false_positive_rate')],
      values: [BigInt(report.metrics[0]!.value)],
      reportDigest: report.digest,
      samplesRoot: report.samplesRoot,
      uri: 'file:///r.json',
    });
  });
});

describe('verifyReport', () => {
  it('reproduces a report exactly, at another batch size', async () => {
    const result = await verifyReport(path, { batchSize: 3 });
    expect(result).toMatchObject({
      verdict: 'exact',
      reproduces: true,
      notReplayed: [{ setting: 'batchSize', recorded: '16', here: '3' }],
      expected: report.digest,
      actual: report.digest,
      samples: [],
      metrics: [],
    });
  });

  it('lists the samples that do not reproduce', async () => {
    const real = await createTransformersRunner(model('mail-guard-v2'), { device: 'cpu' });
    const target = report.samples[5]!;
    const drifting = {
      ...real,
      // A runner that scores one message differently, as a different build or device might.
      classify: async (texts: string[]) =>
        (await real.classify(texts)).map((p, i) => (texts[i] === firstText ? [0.01, 0.99] : p)),
    };
    const { loadSamples } = await import('../datasets/loadSamples.js');
    const { loadSuite } = await import('../suites/loadSuite.js');
    const firstText = (
      (await loadSamples(await loadSuite('over-blocking'))).find((s) => s.id === target.id) as {
        text: string;
      }
    ).text;
    const result = await verifyReport(path, { runner: drifting });
    expect(result.reproduces).toBe(false);
    expect(result.verdict).toBe('mismatch');
    expect(result.samples.map((d) => d.id)).toEqual([target.id]);
    expect(result.samples[0]!.actual).toMatchObject({ prediction: 1, score: '990000000000000000' });
    expect(result.samples[0]).toMatchObject({ withinPrecision: false, predictionDiffers: true });
    await real.dispose();
  });

  it('tells float noise within the suite precision from a real mismatch', async () => {
    const { loadSamples } = await import('../datasets/loadSamples.js');
    const { loadSuite } = await import('../suites/loadSuite.js');
    const samples = (await loadSamples(await loadSuite('over-blocking'))) as {
      id: string;
      text: string;
    }[];
    const real = await createTransformersRunner(model('mail-guard-v2'), { device: 'cpu' });
    const target = report.samples[7]!;
    const text = samples.find((s) => s.id === target.id)!.text;
    const drifting = (steps: number) => ({
      ...real,
      // One sample's probability moved by `steps` rounding steps, as another device might.
      classify: async (texts: string[]) =>
        (await real.classify(texts)).map((p, i) => {
          if (texts[i] !== text) return p;
          const q = Number(BigInt(target.score) + BigInt(steps) * 10n ** 14n) / 1e18;
          return [1 - q, q];
        }),
    });
    const noise = await verifyReport(path, { runner: drifting(1) });
    expect(noise).toMatchObject({ verdict: 'within-precision', reproduces: true, metrics: [] });
    expect(noise.samples).toMatchObject([{ id: target.id, withinPrecision: true }]);
    const real2 = await verifyReport(path, { runner: drifting(2) });
    expect(real2).toMatchObject({ verdict: 'mismatch', reproduces: false });
    expect(real2.samples).toMatchObject([{ id: target.id, withinPrecision: false }]);
    await real.dispose();
  });

  it('names a prediction that flips at the decision boundary as within the declared precision', async () => {
    const { loadSamples } = await import('../datasets/loadSamples.js');
    const { loadSuite } = await import('../suites/loadSuite.js');
    const samples = (await loadSamples(await loadSuite('over-blocking'))) as {
      id: string;
      text: string;
    }[];
    const real = await createTransformersRunner(model('mail-guard-v2'), { device: 'cpu' });
    const text = samples[11]!.text;
    // Two devices that put one message on either side of 0.5 by less than a rounding step.
    const at = (q: number) => ({
      ...real,
      classify: async (texts: string[]) =>
        (await real.classify(texts)).map((p, i) => (texts[i] === text ? [1 - q, q] : p)),
    });
    const made = await evaluateModel({
      suite: 'over-blocking',
      runner: at(0.50006),
      modelDigest: report.model.digest,
      modelPath: model('mail-guard-v2'),
    });
    const result = await verifyReport(made, { runner: at(0.49996) });
    expect(result.verdict).toBe('within-precision');
    expect(result.samples).toMatchObject([
      {
        id: samples[11]!.id,
        withinPrecision: true,
        predictionDiffers: true,
        expected: { prediction: 1, score: '500100000000000000' },
        actual: { prediction: 0, score: '500000000000000000' },
      },
    ]);
    // The metric follows the predictions, and says so.
    expect(result.metrics.map((m) => m.id)).toEqual(['false_positive_rate']);
    await real.dispose();
  });

  it('refuses to re-run a different model than the report names', async () => {
    await expect(verifyReport(path, { modelDir: model('mail-guard-v1') })).rejects.toThrow(
      ModelDigestMismatchError,
    );
  });
});
