import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

import { createBatchTokenizer } from './createBatchTokenizer.js';
import { createWordPieceEncoder } from './createWordPieceEncoder.js';

env.allowRemoteModels = false;

const V2 = fileURLToPath(new URL('../../models/mail-guard-v2', import.meta.url));

describe('createBatchTokenizer', () => {
  it('gives the same padded inputs in worker threads as on the main thread, in request order, added tokens included', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(V2, { local_files_only: true });
    const reference = (text: string, max: number) =>
      (
        tokenizer([text], {
          truncation: true,
          max_length: max,
          return_tensor: false,
        }) as unknown as {
          input_ids: number[][];
        }
      ).input_ids[0]!;
    const fast = createWordPieceEncoder(
      JSON.parse(await readFile(join(V2, 'tokenizer.json'), 'utf8')),
      {},
      reference,
    );
    const options = { modelDir: V2, length: 16, padId: 0, left: false, reference, fast };
    const batches = [
      ['FREE money, click now!!!', 'Re: [SAdev] the patch\n\nlooks fine'],
      ['a [UNK] typed in, and [PAD] too', '', 'word '.repeat(40)],
      ['ΡΑΥΡΑL: vеrіfу уоur ассоunt'],
    ];
    const main = createBatchTokenizer({ ...options, workers: 0 });
    const pool = createBatchTokenizer({ ...options, workers: 2 });
    expect([main.workers, pool.workers, pool.ahead]).toEqual([0, 2, 2]);
    // All requested at once: the two workers answer out of order, the batches come back in order.
    const fromPool = await Promise.all(batches.map((texts) => pool.tokenize(texts)));
    for (const [b, texts] of batches.entries()) {
      const expected = await main.tokenize(texts);
      expect(fromPool[b]!.ids).toEqual(expected.ids);
      expect(fromPool[b]!.mask).toEqual(expected.mask);
      // Row by row against the transformers.js tokenizer, the [UNK] text among them.
      texts.forEach((text, r) => {
        const ids = reference(text, 16);
        const row = Array.from(expected.ids.subarray(r * 16, r * 16 + ids.length), Number);
        expect(row).toEqual(ids);
      });
    }
    await pool.close();
    await expect(pool.tokenize(['after close'])).rejects.toThrow(/tokenizer worker/);
  });
});
