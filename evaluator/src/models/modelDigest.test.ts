import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ModelInvalidError } from '../errors.js';
import { tempDir } from '../testing/fixtures.js';
import { canonicalJson } from '../util/canonicalJson.js';
import { sha256 } from '../util/sha256.js';
import { modelDigest, modelManifest } from './modelDigest.js';

async function fakeModel(order: string[]): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'onnx'));
  const files: Record<string, string> = {
    'config.json': '{}',
    'tokenizer.json': '{"v":1}',
    'onnx/model.onnx': 'graph',
  };
  for (const name of order) await writeFile(join(dir, name), files[name]!);
  return dir;
}

describe('modelDigest', () => {
  it('is the sha256 of the canonical sorted manifest of (path, size, sha256)', async () => {
    const dir = await fakeModel(['config.json', 'tokenizer.json', 'onnx/model.onnx']);
    const manifest = await modelManifest(dir);
    expect(manifest.map((e) => e.path)).toEqual([
      'config.json',
      'onnx/model.onnx',
      'tokenizer.json',
    ]);
    expect(manifest[0]).toEqual({ path: 'config.json', size: 2, sha256: sha256('{}') });
    expect(await modelDigest(dir)).toBe(sha256(canonicalJson(manifest)));
  });

  it('does not depend on the order files were written, and changes with any byte or name', async () => {
    const a = await fakeModel(['config.json', 'tokenizer.json', 'onnx/model.onnx']);
    const b = await fakeModel(['onnx/model.onnx', 'tokenizer.json', 'config.json']);
    const digest = await modelDigest(a);
    expect(await modelDigest(b)).toBe(digest);
    await writeFile(join(b, 'onnx/model.onnx'), 'grapH');
    expect(await modelDigest(b)).not.toBe(digest);
    await rename(join(a, 'tokenizer.json'), join(a, 'tokenizer2.json'));
    expect(await modelDigest(a)).not.toBe(digest);
  });

  it('refuses a path that is not a directory', async () => {
    await expect(modelDigest('/no/such/model')).rejects.toThrow(ModelInvalidError);
  });
});
