import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { SuiteInvalidError, UnknownMetricError } from '../errors.js';
import { tempDir, writeJsonlSuite } from '../testing/fixtures.js';
import { canonicalJson } from '../util/canonicalJson.js';
import { sha256 } from '../util/sha256.js';
import { listSuites } from './listSuites.js';
import { loadSuite } from './loadSuite.js';

describe('loadSuite', () => {
  it('loads the bundled suites by name, with ids = sha256 of their canonical JSON', async () => {
    const suites = await listSuites();
    expect(suites.map((s) => s.suite.name)).toEqual([
      'mail-safety-refusals',
      'over-blocking',
      'robustness',
      'spam-detection',
    ]);
    const spam = await loadSuite('spam-detection');
    const raw: unknown = JSON.parse(await readFile(spam.path, 'utf8'));
    expect(spam.id).toBe(sha256(canonicalJson(raw)));
    expect(spam.datasetDigest).toBe(sha256(canonicalJson(spam.suite.datasets)));
    expect(spam.suite.metrics).toEqual(['accuracy', 'precision', 'recall', 'f1']);
  });

  it('gives a suite a new id when anything in it changes, and the same id for a reformatted file', async () => {
    const dir = await tempDir();
    const path = await writeJsonlSuite(dir, [{ id: 'a', text: 'hi', label: 'ham' }]);
    const before = await loadSuite(path);
    const suite = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify(suite)); // no whitespace, same content
    expect((await loadSuite(path)).id).toBe(before.id);
    await writeFile(path, JSON.stringify({ ...suite, seed: 'other' }));
    expect((await loadSuite(path)).id).not.toBe(before.id);
  });

  it('refuses a suite that names an unknown metric', async () => {
    const dir = await tempDir();
    const path = await writeJsonlSuite(dir, [], { metrics: ['accuracy', 'vibes'] });
    await expect(loadSuite(path)).rejects.toThrow(UnknownMetricError);
    await expect(loadSuite(path)).rejects.toThrow(/unknown metric "vibes"/);
  });

  it('names the field of a malformed suite', async () => {
    const dir = await tempDir();
    await expect(
      loadSuite(await writeJsonlSuite(dir, [], { labels: ['only-one'] as never })),
    ).rejects.toThrow(/labels must be two label names/);
    await expect(loadSuite(await writeJsonlSuite(dir, [], { seed: '' }))).rejects.toThrow(
      SuiteInvalidError,
    );
    await writeFile(join(dir, 'broken.json'), '{ not json');
    await expect(loadSuite(join(dir, 'broken.json'))).rejects.toThrow(/cannot read JSON/);
    await expect(loadSuite('no-such-suite')).rejects.toThrow(/no bundled suite of that name/);
  });
});
