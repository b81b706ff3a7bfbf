import { createRng, shuffle } from '../util/rng.js';
import type { FastTextWeights } from './exportOnnx.js';

export interface TrainingExample {
  /** Token ids, already truncated to the model's maximum length. */
  ids: Int32Array;
  label: number;
  /** Loss weight (1 unless a group of samples is up-weighted). */
  weight: number;
}

export interface SgdOptions {
  dim: number;
  epochs: number;
  /** Initial learning rate, decayed linearly to zero over training as fastText does. */
  learningRate: number;
  seed: string;
}

/**
 * Trains a fastText classifier: the mean of the token embeddings, then a linear layer and a
 * softmax, by plain SGD on the cross-entropy. Single-threaded float64 arithmetic driven by a
 * seeded PRNG, so the same data and options give bit-identical weights on every run.
 */
export function trainFastText(
  examples: readonly TrainingExample[],
  vocabSize: number,
  numLabels: number,
  options: SgdOptions,
): FastTextWeights {
  const { dim, epochs, learningRate } = options;
  const rng = createRng(options.seed);
  const E = new Float64Array(vocabSize * dim).map(() => (rng() * 2 - 1) / dim);
  const W = new Float64Array(dim * numLabels);
  const b = new Float64Array(numLabels);
  const h = new Float64Array(dim);
  const dh = new Float64Array(dim);
  const g = new Float64Array(numLabels);
  const order = examples.map((_, i) => i);
  const totalSteps = epochs * examples.length;
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, rng);
    for (const index of order) {
      const { ids, label, weight } = examples[index] as TrainingExample;
      const lr = learningRate * (1 - step++ / totalSteps);
      if (ids.length === 0) continue;

      h.fill(0);
      for (const id of ids) for (let d = 0; d < dim; d++) h[d]! += E[id * dim + d]!;
      for (let d = 0; d < dim; d++) h[d]! /= ids.length;

      // softmax(hW + b) - onehot(label): the gradient of the cross-entropy at the logits.
      let max = -Infinity;
      for (let c = 0; c < numLabels; c++) {
        let z = b[c]!;
        for (let d = 0; d < dim; d++) z += h[d]! * W[d * numLabels + c]!;
        g[c] = z;
        max = Math.max(max, z);
      }
      let sum = 0;
      for (let c = 0; c < numLabels; c++) sum += g[c] = Math.exp(g[c]! - max);
      for (let c = 0; c < numLabels; c++) g[c] = weight * (g[c]! / sum - (c === label ? 1 : 0));

      dh.fill(0);
      for (let d = 0; d < dim; d++)
        for (let c = 0; c < numLabels; c++) {
          dh[d]! += W[d * numLabels + c]! * g[c]!;
          W[d * numLabels + c]! -= lr * h[d]! * g[c]!;
        }
      for (let c = 0; c < numLabels; c++) b[c]! -= lr * g[c]!;
      const scale = lr / ids.length;
      for (const id of ids) for (let d = 0; d < dim; d++) E[id * dim + d]! -= scale * dh[d]!;
    }
  }
  return {
    vocabSize,
    dim,
    numLabels,
    embeddings: Float32Array.from(E),
    weight: Float32Array.from(W),
    bias: Float32Array.from(b),
  };
}
