import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { modelDigest } from '../models/modelDigest.js';
import { loadSuite } from '../suites/loadSuite.js';
import { createEvaluationCache } from './evaluationCache.js';
import { evaluateModel } from './evaluateModel.js';

const V1 = fileURLToPath(new URL('../../models/mail-guard-v1', import.meta.url));
const V2 = fileURLToPath(new URL('../../models/mail-guard-v2', import.meta.url));

describe('createEvaluationCache', () => {
  it('gives each model the report evaluateModel gives it, evaluation after evaluation', async () => {
    const suite = await loadSuite('over-blocking');
    const models = [
      { dir: V1, digest: await modelDigest(V1) },
      { dir: V2, digest: await modelDigest(V2) },
    ];
    const fresh = await Promise.all(
      models.map(
        async ({ dir }) => (await evaluateModel({ suite, modelDir: dir, device: 'cpu' })).digest,
      ),
    );
    expect(fresh[0]).not.toBe(fresh[1]);

    const cache = createEvaluationCache({ device: 'cpu' });
    try {
      // v1, v2, then v1 again: each kept runner answers for its own artifact only.
      for (const i of [0, 1, 0, 1]) {
        const { dir, digest } = models[i]!;
        const report = await cache.evaluate({ suite, modelDir: dir, modelDigest: digest });
        expect(report.digest, `model ${i}`).toBe(fresh[i]);
        expect(report.model.digest).toBe(digest);
        expect(report.host.modelPath).toBe(dir);
      }
    } finally {
      await cache.dispose();
    }
  });

  it('forgets a runner that failed to load, and loads anew after dispose', async () => {
    const suite = await loadSuite('over-blocking');
    const digest = await modelDigest(V2);
    const cache = createEvaluationCache({ device: 'cpu' });
    try {
      await expect(
        cache.evaluate({ suite, modelDir: '/nonexistent/model', modelDigest: digest }),
      ).rejects.toThrow(/nonexistent/);
      const first = await cache.evaluate({ suite, modelDir: V2, modelDigest: digest });
      await cache.dispose();
      const again = await cache.evaluate({ suite, modelDir: V2, modelDigest: digest });
      expect(again.digest).toBe(first.digest);
    } finally {
      await cache.dispose();
    }
  });

  it('closes the least recently used runner beyond its limit, and opens it again when needed', async () => {
    const suite = await loadSuite('over-blocking');
    const v1 = { modelDir: V1, modelDigest: await modelDigest(V1) };
    const v2 = { modelDir: V2, modelDigest: await modelDigest(V2) };
    const cache = createEvaluationCache({ device: 'cpu' }, 1);
    try {
      const first = await cache.evaluate({ suite, ...v1 });
      await cache.evaluate({ suite, ...v2 }); // closes v1's runner
      expect((await cache.evaluate({ suite, ...v1 })).digest).toBe(first.digest);
    } finally {
      await cache.dispose();
    }
  });
});
