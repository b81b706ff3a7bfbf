import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

import { createRng } from '../util/rng.js';
import { exportOnnx, type FastTextWeights } from './exportOnnx.js';

const V = 50;
const D = 8;
const rng = createRng('export-test');
const weights: FastTextWeights = {
  vocabSize: V,
  dim: D,
  numLabels: 2,
  embeddings: Float32Array.from({ length: V * D }, () => rng() - 0.5),
  weight: Float32Array.from({ length: D * 2 }, () => rng() - 0.5),
  bias: Float32Array.from([0.1, -0.2]),
};

/** The network written out by hand: mean of the embeddings of the ids, then the linear layer. */
function reference(ids: number[]): number[] {
  const mean = new Array<number>(D).fill(0);
  for (const id of ids)
    for (let d = 0; d < D; d++) mean[d]! += weights.embeddings[id * D + d]! / ids.length;
  return [0, 1].map((c) =>
    mean.reduce((z, h, d) => z + h * weights.weight[d * 2 + c]!, weights.bias[c]!),
  );
}

async function run(
  session: ort.InferenceSession,
  rows: number[][],
  length: number,
): Promise<Float32Array> {
  const ids = new BigInt64Array(rows.length * length);
  const mask = new BigInt64Array(rows.length * length);
  rows.forEach((row, i) =>
    row.forEach((id, j) => {
      ids[i * length + j] = BigInt(id);
      mask[i * length + j] = 1n;
    }),
  );
  const dims = [rows.length, length];
  const out = await session.run({
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
  });
  return out.logits!.data as Float32Array;
}

describe('exportOnnx', () => {
  it('writes a graph ONNX Runtime runs, computing mean embedding -> linear, ignoring padding', async () => {
    const session = await ort.InferenceSession.create(exportOnnx(weights));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask']);
    const rows = [[1, 2, 3], [4], [5, 6, 7, 8, 9, 10]];
    const logits = await run(session, rows, 12);
    rows.forEach((row, i) => {
      const [a, b] = reference(row);
      expect(logits[i * 2]).toBeCloseTo(a!, 5);
      expect(logits[i * 2 + 1]).toBeCloseTo(b!, 5);
    });
  });

  it('gives every row bit-identical logits whatever the batch size, at a fixed length', async () => {
    const session = await ort.InferenceSession.create(exportOnnx(weights));
    const rows = Array.from({ length: 16 }, (_, i) =>
      Array.from({ length: 3 + i * 7 }, (_, j) => (i * 31 + j) % V),
    );
    const together = await run(session, rows, 128);
    for (let i = 0; i < rows.length; i++) {
      const alone = await run(session, [rows[i]!], 128);
      expect([...alone]).toEqual([...together.subarray(i * 2, i * 2 + 2)]);
    }
  });

  it('is deterministic bytes for the same weights', () => {
    expect(Buffer.from(exportOnnx(weights)).equals(Buffer.from(exportOnnx(weights)))).toBe(true);
  });
});
