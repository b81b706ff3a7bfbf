import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pipeline } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

import { DeviceUnavailableError, ModelInvalidError } from '../errors.js';
import { tempDir } from '../testing/fixtures.js';
import { createTransformersRunner } from './createTransformersRunner.js';

const V2 = fileURLToPath(new URL('../../models/mail-guard-v2', import.meta.url));

async function copyOfV2(): Promise<string> {
  const dir = join(await tempDir(), 'model');
  await cp(V2, dir, { recursive: true });
  return dir;
}

describe('createTransformersRunner', () => {
  it('classifies texts into label probabilities', async () => {
    const runner = await createTransformersRunner(V2, { device: 'cpu' });
    expect(runner.labels).toEqual(['ham', 'spam']);
    expect(runner.info).toEqual({ name: 'transformers.js', device: 'cpu', dtype: 'fp32' });
    expect(runner.settings).toMatchObject({
      device: 'cpu',
      executionProvider: 'CPUExecutionProvider',
      sequenceLength: 512,
      padding: 'max_length',
      tokenizer: 'wordpiece-fast',
      threads: 'default',
      versions: { 'onnxruntime-node': expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    });
    const [spam, ham] = await runner.classify([
      'FREE!!! Click here to claim your prize. Limited offer, act now, unsubscribe below',
      // Ham in this corpus is mostly mailing-list traffic, and the model has learned its look.
      'Re: [SAdev] meeting notes\n\nOn Tue, Jim wrote:\n> the patch looks fine\n\nThanks, I will apply it to CVS tonight.',
    ]);
    expect(spam![0]! + spam![1]!).toBeCloseTo(1, 10);
    expect(spam![1]).toBeGreaterThan(0.5);
    expect(ham![1]).toBeLessThan(0.5);
    await runner.dispose();
  });

  it('device auto runs where it can, and says in one line what it chose and why', async () => {
    const lines: string[] = [];
    const runner = await createTransformersRunner(V2, {
      device: 'auto',
      log: (l) => lines.push(l),
    });
    expect(lines).toHaveLength(1);
    if (runner.info.device === 'cpu')
      expect(lines[0]).toMatch(/^device auto: running on cpu \(no cuda \(.+\); no webgpu.*\)$/);
    else expect(lines[0]).toMatch(new RegExp(`^device auto: running on ${runner.info.device}`));
    await runner.dispose();
  });

  it('refuses an unavailable device with a clear error instead of crashing', async () => {
    const attempt = createTransformersRunner(V2, { device: 'cuda' }).then((r) => r.dispose());
    await attempt.catch((error: unknown) => {
      expect(error).toBeInstanceOf(DeviceUnavailableError);
      expect((error as Error).message).toMatch(/^device cuda is not available: /);
    });
  });

  it('refuses a corrupt ONNX file, naming it', async () => {
    const dir = await copyOfV2();
    await writeFile(join(dir, 'onnx/model.onnx'), Buffer.from('this is not a protobuf'));
    await expect(createTransformersRunner(dir, { device: 'cpu' })).rejects.toThrow(
      ModelInvalidError,
    );
    await expect(createTransformersRunner(dir, { device: 'cpu' })).rejects.toThrow(
      /onnx\/model.onnx is not a valid ONNX model/,
    );
  });

  it('names the files a model directory lacks', async () => {
    const dir = await copyOfV2();
    await rm(join(dir, 'tokenizer.json'));
    await expect(createTransformersRunner(dir)).rejects.toThrow(/is missing tokenizer.json/);
    await expect(createTransformersRunner(V2, { dtype: 'fp16' })).rejects.toThrow(
      /is missing onnx\/model_fp16.onnx/,
    );
  });

  it("is a standard transformers.js model: pipeline('text-classification') runs it", async () => {
    const classify = await pipeline('text-classification', V2, { device: 'cpu', dtype: 'fp32' });
    const [result] = (await classify(
      'WINNER!! You have been selected for a FREE cruise, reply now',
    )) as {
      label: string;
      score: number;
    }[];
    expect(result!.label).toBe('spam');
    await classify.dispose();
  });
});
