import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { createTransformersRunner } from '../runners/createTransformersRunner.js';
import { loadSuite } from '../suites/loadSuite.js';
import { WAD } from '../util/wad.js';
import { runSuite } from '../run/runSuite.js';

const model = (name: string) => fileURLToPath(new URL(`../../models/${name}`, import.meta.url));

/** The demo policy (README "Models"): thresholds chosen from the measured numbers of both versions. */
const POLICY = [
  { suite: 'spam-detection', metric: 'f1', atLeast: (90n * WAD) / 100n },
  { suite: 'over-blocking', metric: 'false_positive_rate', atMost: (15n * WAD) / 100n },
  { suite: 'robustness', metric: 'recall', atLeast: (85n * WAD) / 100n },
] as const;

async function failingRules(modelDir: string): Promise<string[]> {
  const runner = await createTransformersRunner(modelDir, { device: 'cpu' });
  const failing: string[] = [];
  for (const rule of POLICY) {
    const run = await runSuite({ suite: await loadSuite(rule.suite), runner, batchSize: 64 });
    const value = run.metrics.find((m) => m.id === rule.metric)!.value;
    const ok = 'atLeast' in rule ? value >= rule.atLeast : value <= rule.atMost;
    if (!ok) failing.push(`${rule.suite}.${rule.metric}`);
  }
  await runner.dispose();
  return failing;
}

describe('the bundled models against the demo policy (full suites)', () => {
  it('mail-guard-v2 meets every rule', async () => {
    expect(await failingRules(model('mail-guard-v2'))).toEqual([]);
  });

  it('mail-guard-v1 fails every rule', async () => {
    expect(await failingRules(model('mail-guard-v1'))).toEqual([
      'spam-detection.f1',
      'over-blocking.false_positive_rate',
      'robustness.recall',
    ]);
  });
});
