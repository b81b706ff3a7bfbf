import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  encodeModel,
  floatTensor,
  int64Tensor,
  intAttr,
  node,
  seededWeights,
  T,
} from './onnxGraph.js';

const V2 = fileURLToPath(new URL('../../models/mail-guard-v2', import.meta.url));

/**
 * Writes a small classifier that is not one of ours, the kind a new user brings: the mean of its
 * token embeddings taken with ReduceSum over the whole padded sequence (not a masked MatMul as our
 * fastText export does), then a linear layer. ONNX Runtime's ReduceSum picks its summation order
 * from the tensor's shape and the device, so its float32 scores move in the sixth decimal with the
 * batch size and between CPU and WebGPU: the case the suites' score precision exists for.
 * Embeddings sit on a large common offset that the classifier cancels, so that noise is visible.
 * It reuses mail-guard-v2's tokenizer; its scores mean nothing.
 */
export async function writeReduceSumModel(dir: string, dim = 16, seed = 7): Promise<string> {
  const vocab = 23458;
  const embeddings = seededWeights(vocab * dim, seed, 1);
  for (let i = 0; i < embeddings.length; i++) embeddings[i]! += 20;
  // Columns that sum to zero over the dimensions cancel the offset in the logits' difference.
  const weight = seededWeights(dim * 2, seed + 1, 1);
  for (let c = 0; c < 2; c++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += weight[d * 2 + c]!;
    for (let d = 0; d < dim; d++) weight[d * 2 + c]! -= sum / dim;
  }
  const onnx = encodeModel(
    {
      name: 'reduce_sum_classifier',
      initializer: [
        floatTensor('embeddings', [vocab, dim], embeddings),
        floatTensor('classifier.weight', [dim, 2], weight),
        floatTensor('classifier.bias', [2], new Float32Array([0.1, -0.1])),
        floatTensor('one', [], new Float32Array([1])),
        int64Tensor('axis_1', [1], [1]),
        int64Tensor('axis_2', [1], [2]),
      ],
      node: [
        node('Gather', ['embeddings', 'input_ids'], 'token_vectors'),
        node('Cast', ['attention_mask'], 'mask', [intAttr('to', T.FLOAT)]),
        node('Unsqueeze', ['mask', 'axis_2'], 'mask_3d'),
        node('Mul', ['token_vectors', 'mask_3d'], 'masked'),
        node('ReduceSum', ['masked', 'axis_1'], 'vector_sum', [intAttr('keepdims', 0)]),
        node('ReduceSum', ['mask', 'axis_1'], 'token_count', [intAttr('keepdims', 1)]),
        node('Max', ['token_count', 'one'], 'divisor'),
        node('Div', ['vector_sum', 'divisor'], 'mean_vector'),
        node('MatMul', ['mean_vector', 'classifier.weight'], 'scores'),
        node('Add', ['scores', 'classifier.bias'], 'logits'),
      ],
    },
    13,
    2,
  );
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'onnx/model.onnx'), onnx);
  for (const file of ['tokenizer.json', 'tokenizer_config.json'])
    await copyFile(join(V2, file), join(dir, file));
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify(
      {
        model_type: 'bert',
        architectures: ['BertForSequenceClassification'],
        id2label: { 0: 'ham', 1: 'spam' },
        label2id: { ham: 0, spam: 1 },
        vocab_size: vocab,
        hidden_size: dim,
        max_position_embeddings: 512,
        charter: {
          description: 'test model: ReduceSum over the padded sequence; scores mean nothing',
        },
      },
      null,
      2,
    ),
  );
  return dir;
}
