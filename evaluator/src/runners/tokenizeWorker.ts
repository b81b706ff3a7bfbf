/**
 * Worker thread of `createBatchTokenizer`: tokenizes batches with the fast WordPiece encoder into
 * the model's padded int64 inputs, so that the main thread can run the model on one batch while
 * this thread tokenizes the next.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { createWordPieceEncoder } from './createWordPieceEncoder.js';
import { paddedBatch, setRow } from './fixedLengthIds.js';

export interface TokenizeWorkerData {
  modelDir: string;
  length: number;
  padId: number;
  left: boolean;
}
export interface TokenizeRequest {
  id: number;
  texts: string[];
}
export type TokenizeReply =
  | { id: number; ids: BigInt64Array; mask: BigInt64Array; fallback: number[] }
  | { id: number; error: string };

const { modelDir, length, padId, left } = workerData as TokenizeWorkerData;
const readJson = (file: string) => JSON.parse(readFileSync(join(modelDir, file), 'utf8'));
const encoder = createWordPieceEncoder(
  readJson('tokenizer.json'),
  readJson('tokenizer_config.json') as Record<string, unknown>,
  () => {
    throw new Error('unreachable: the worker hands such texts back');
  },
);

parentPort!.on('message', ({ id, texts }: TokenizeRequest) => {
  try {
    if (!encoder)
      throw new Error(`${modelDir}: the fast WordPiece encoder does not cover its tokenizer`);
    const batch = paddedBatch(texts.length, length, padId);
    // Texts with an added token typed in go to the main thread's transformers.js tokenizer.
    const fallback: number[] = [];
    texts.forEach((text, r) => {
      const row = encoder.encodeShared(text, length);
      if (row) setRow(batch, r, row, length, left);
      else fallback.push(r);
    });
    const reply: TokenizeReply = { id, ...batch, fallback };
    parentPort!.postMessage(reply, [
      batch.ids.buffer as ArrayBuffer,
      batch.mask.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) });
  }
});
