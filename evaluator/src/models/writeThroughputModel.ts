import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  encodeModel,
  floatAttr,
  floatTensor,
  int64Tensor,
  intAttr,
  intsAttr,
  node,
  seededWeights,
  T,
} from './onnxGraph.js';

export const THROUGHPUT_ONLY = 'throughput only: its scores mean nothing';

export interface ThroughputModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  /** Tokens per sample: every text is padded or cut to this length. */
  sequenceLength: number;
}

/** The shape of BERT-base. */
export const BERT_BASE: ThroughputModelShape = {
  layers: 12,
  hidden: 768,
  heads: 12,
  intermediate: 3072,
  sequenceLength: 128,
};

const V2 = fileURLToPath(new URL('../../models/mail-guard-v2', import.meta.url));

/**
 * Writes a model directory with the shape and operators of a BERT-base sequence classifier
 * (post-norm encoder layers: attention, GELU feed-forward, LayerNorm; tanh pooler on the first
 * token; linear head) and seeded random weights, for measuring throughput on work a GPU is for.
 * THROUGHPUT ONLY: ITS SCORES MEAN NOTHING. Its weights are generated at benchmark or test time
 * (about 400 MB for BERT-base, never committed); the same seed gives the same bytes. It uses
 * mail-guard-v2's tokenizer, cut to `sequenceLength` tokens.
 */
export async function writeThroughputModel(
  dir: string,
  shape: ThroughputModelShape = BERT_BASE,
  seed = 1,
): Promise<string> {
  const { layers, hidden: H, heads, intermediate: I, sequenceLength } = shape;
  const headSize = H / heads;
  const vocab = Object.keys(
    (JSON.parse(await readFile(join(V2, 'tokenizer.json'), 'utf8')) as { model: { vocab: object } })
      .model.vocab,
  ).length;
  let stream = seed * 1000;
  const weights = (name: string, dims: number[], scale = 0.02) =>
    floatTensor(
      name,
      dims,
      seededWeights(
        dims.reduce((a, b) => a * b, 1),
        ++stream,
        scale,
      ),
    );
  const constant = (name: string, dims: number[], value: number) =>
    floatTensor(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value));

  const initializer = [
    weights('word_embeddings', [vocab, H]),
    weights('position_embeddings', [512, H]),
    weights('token_type_embedding', [H]),
    constant('ln_gamma', [H], 1),
    constant('ln_beta', [H], 0),
    int64Tensor('zero_1d', [1], [0]),
    int64Tensor('one_scalar', [], [1]),
    int64Tensor('axes_1_2', [2], [1, 2]),
    int64Tensor('heads_shape', [4], [0, 0, heads, headSize]),
    int64Tensor('hidden_shape', [3], [0, 0, H]),
    floatTensor('one', [], new Float32Array([1])),
    floatTensor('mask_fill', [], new Float32Array([-10000])),
    floatTensor('attention_scale', [], new Float32Array([1 / Math.sqrt(headSize)])),
    floatTensor('half', [], new Float32Array([0.5])),
    floatTensor('inv_sqrt2', [], new Float32Array([Math.SQRT1_2])),
    int64Tensor('first_token', [], [0]),
    weights('pooler.weight', [H, H]),
    weights('pooler.bias', [H]),
    weights('classifier.weight', [H, 2]),
    weights('classifier.bias', [2]),
  ];
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], 'words'),
    node('Shape', ['input_ids'], 'input_shape'),
    node('Gather', ['input_shape', 'one_scalar'], 'seq_len_scalar', [intAttr('axis', 0)]),
    node('Unsqueeze', ['seq_len_scalar', 'zero_1d'], 'seq_len'),
    node('Slice', ['position_embeddings', 'zero_1d', 'seq_len', 'zero_1d'], 'positions'),
    node('Add', ['words', 'positions'], 'embedded_1'),
    node('Add', ['embedded_1', 'token_type_embedding'], 'embedded'),
    node('LayerNormalization', ['embedded', 'ln_gamma', 'ln_beta'], 'h0', [
      intAttr('axis', -1),
      floatAttr('epsilon', 1e-12),
    ]),
    node('Cast', ['attention_mask'], 'mask_float', [intAttr('to', T.FLOAT)]),
    node('Sub', ['one', 'mask_float'], 'mask_inverted'),
    node('Mul', ['mask_inverted', 'mask_fill'], 'mask_bias_2d'),
    node('Unsqueeze', ['mask_bias_2d', 'axes_1_2'], 'mask_bias'),
  ];
  let x = 'h0';
  for (let l = 0; l < layers; l++) {
    const p = `l${l}.`;
    initializer.push(
      weights(`${p}q.weight`, [H, H]),
      weights(`${p}k.weight`, [H, H]),
      weights(`${p}v.weight`, [H, H]),
      weights(`${p}o.weight`, [H, H]),
      weights(`${p}ffn1.weight`, [H, I]),
      weights(`${p}ffn2.weight`, [I, H]),
      constant(`${p}q.bias`, [H], 0),
      constant(`${p}k.bias`, [H], 0),
      constant(`${p}v.bias`, [H], 0),
      constant(`${p}o.bias`, [H], 0),
      constant(`${p}ffn1.bias`, [I], 0),
      constant(`${p}ffn2.bias`, [H], 0),
    );
    const dense = (input: string, name: string) => [
      node('MatMul', [input, `${p}${name}.weight`], `${p}${name}.mm`),
      node('Add', [`${p}${name}.mm`, `${p}${name}.bias`], `${p}${name}`),
    ];
    const split = (name: string, perm: number[]) => [
      node('Reshape', [`${p}${name}`, 'heads_shape'], `${p}${name}.heads`),
      node('Transpose', [`${p}${name}.heads`], `${p}${name}.t`, [intsAttr('perm', perm)]),
    ];
    nodes.push(
      ...dense(x, 'q'),
      ...dense(x, 'k'),
      ...dense(x, 'v'),
      ...split('q', [0, 2, 1, 3]),
      ...split('k', [0, 2, 3, 1]),
      ...split('v', [0, 2, 1, 3]),
      node('MatMul', [`${p}q.t`, `${p}k.t`], `${p}scores_raw`),
      node('Mul', [`${p}scores_raw`, 'attention_scale'], `${p}scores_scaled`),
      node('Add', [`${p}scores_scaled`, 'mask_bias'], `${p}scores`),
      node('Softmax', [`${p}scores`], `${p}probs`, [intAttr('axis', -1)]),
      node('MatMul', [`${p}probs`, `${p}v.t`], `${p}context_heads`),
      node('Transpose', [`${p}context_heads`], `${p}context_t`, [intsAttr('perm', [0, 2, 1, 3])]),
      node('Reshape', [`${p}context_t`, 'hidden_shape'], `${p}context`),
      ...dense(`${p}context`, 'o'),
      node('Add', [x, `${p}o`], `${p}attn_residual`),
      node('LayerNormalization', [`${p}attn_residual`, 'ln_gamma', 'ln_beta'], `${p}attn_out`, [
        intAttr('axis', -1),
        floatAttr('epsilon', 1e-12),
      ]),
      ...dense(`${p}attn_out`, 'ffn1'),
      // GELU, exact form: 0.5 x (1 + erf(x / sqrt 2)).
      node('Mul', [`${p}ffn1`, 'inv_sqrt2'], `${p}gelu_scaled`),
      node('Erf', [`${p}gelu_scaled`], `${p}gelu_erf`),
      node('Add', [`${p}gelu_erf`, 'one'], `${p}gelu_sum`),
      node('Mul', [`${p}ffn1`, `${p}gelu_sum`], `${p}gelu_prod`),
      node('Mul', [`${p}gelu_prod`, 'half'], `${p}gelu`),
      ...dense(`${p}gelu`, 'ffn2'),
      node('Add', [`${p}attn_out`, `${p}ffn2`], `${p}ffn_residual`),
      node('LayerNormalization', [`${p}ffn_residual`, 'ln_gamma', 'ln_beta'], `${p}out`, [
        intAttr('axis', -1),
        floatAttr('epsilon', 1e-12),
      ]),
    );
    x = `${p}out`;
  }
  nodes.push(
    node('Gather', [x, 'first_token'], 'first', [intAttr('axis', 1)]),
    node('MatMul', ['first', 'pooler.weight'], 'pooled_mm'),
    node('Add', ['pooled_mm', 'pooler.bias'], 'pooled_lin'),
    node('Tanh', ['pooled_lin'], 'pooled'),
    node('MatMul', ['pooled', 'classifier.weight'], 'head_mm'),
    node('Add', ['head_mm', 'classifier.bias'], 'logits'),
  );

  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(
    join(dir, 'onnx/model.onnx'),
    encodeModel({ name: 'throughput_bert_base', initializer, node: nodes }, 17, 2),
  );
  await copyFile(join(V2, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const tokenizerConfig = JSON.parse(
    await readFile(join(V2, 'tokenizer_config.json'), 'utf8'),
  ) as Record<string, unknown>;
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ ...tokenizerConfig, model_max_length: sequenceLength }, null, 2),
  );
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify(
      {
        model_type: 'bert',
        architectures: ['BertForSequenceClassification'],
        id2label: { 0: 'ham', 1: 'spam' },
        label2id: { ham: 0, spam: 1 },
        vocab_size: vocab,
        hidden_size: H,
        num_hidden_layers: layers,
        num_attention_heads: heads,
        intermediate_size: I,
        max_position_embeddings: 512,
        charter: {
          name: 'throughput-bert-base',
          description: `${THROUGHPUT_ONLY}. BERT-base shape with seeded random weights (seed ${seed}), for measuring GPU/CPU throughput.`,
        },
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(dir, 'README.md'),
    `# throughput-bert-base\n\n**${THROUGHPUT_ONLY}.** Seeded random weights in the shape of BERT-base (${layers} layers, hidden ${H}, ${heads} heads, sequence ${sequenceLength}), written by evaluator/src/models/writeThroughputModel.ts for the benchmark. Never submit its reports.\n`,
  );
  return dir;
}
