import onnxProto from 'onnx-proto';

import { floatTensor, int64Tensor, intAttr, node, T, valueInfo } from '../models/onnxGraph.js';

const { onnx } = onnxProto;

/** Trained fastText-style weights: an embedding table and a linear layer over the mean embedding. */
export interface FastTextWeights {
  vocabSize: number;
  dim: number;
  numLabels: number;
  /** [vocabSize, dim], row-major. */
  embeddings: Float32Array;
  /** [dim, numLabels], row-major. */
  weight: Float32Array;
  /** [numLabels]. */
  bias: Float32Array;
}

const OPSET = 13;

/**
 * The ONNX graph of a fastText classifier with the transformers.js calling convention:
 * `input_ids`, `attention_mask` [batch, sequence] int64 in, `logits` [batch, labels] out.
 * logits = (Σ mask·E[ids] / max(Σ mask, 1)) · W + b. Padding is masked out, so a sample's logits
 * do not depend on how long the other samples in its batch are.
 */
export function exportOnnx(weights: FastTextWeights, producer = 'charter-evaluator'): Uint8Array {
  const { vocabSize, dim, numLabels } = weights;
  const graph = onnx.GraphProto.create({
    name: 'fasttext_classifier',
    input: [
      valueInfo('input_ids', T.INT64, ['batch_size', 'sequence_length']),
      valueInfo('attention_mask', T.INT64, ['batch_size', 'sequence_length']),
    ],
    output: [valueInfo('logits', T.FLOAT, ['batch_size', numLabels])],
    initializer: [
      floatTensor('embeddings', [vocabSize, dim], weights.embeddings),
      floatTensor('classifier.weight', [dim, numLabels], weights.weight),
      floatTensor('classifier.bias', [numLabels], weights.bias),
      floatTensor('one', [], new Float32Array([1])),
      int64Tensor('axis_1', [1], [1]),
      int64Tensor('axis_2', [1], [2]),
    ],
    node: [
      node('Gather', ['embeddings', 'input_ids'], 'token_vectors'),
      node('Cast', ['attention_mask'], 'mask', [intAttr('to', T.FLOAT)]),
      node('Unsqueeze', ['mask', 'axis_1'], 'mask_row'),
      node('MatMul', ['mask_row', 'token_vectors'], 'vector_sum'),
      node('ReduceSum', ['mask_row', 'axis_2'], 'token_count', [intAttr('keepdims', 1)]),
      node('Max', ['token_count', 'one'], 'divisor'),
      node('Div', ['vector_sum', 'divisor'], 'mean_vector'),
      node('MatMul', ['mean_vector', 'classifier.weight'], 'scores'),
      node('Add', ['scores', 'classifier.bias'], 'logits_3d'),
      node('Squeeze', ['logits_3d', 'axis_1'], 'logits'),
    ],
  });

  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: producer,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET })],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
