import onnxProto from 'onnx-proto';

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
  const T = onnx.TensorProto.DataType;
  const node = (
    opType: string,
    input: string[],
    output: string,
    attribute: InstanceType<typeof onnx.AttributeProto>[] = [],
  ) => onnx.NodeProto.create({ opType, input, output: [output], name: output, attribute });
  const intAttr = (name: string, i: number) =>
    onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT });

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

function valueInfo(name: string, elemType: number, shape: (string | number)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: shape.map((d) =>
            onnx.TensorShapeProto.Dimension.create(
              typeof d === 'string' ? { dimParam: d } : { dimValue: d },
            ),
          ),
        }),
      }),
    }),
  });
}

function floatTensor(name: string, dims: number[], data: Float32Array) {
  // Raw little-endian bytes: compact, and exactly the float32 values that were trained.
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: raw,
  });
}

function int64Tensor(name: string, dims: number[], data: number[]) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.INT64,
    int64Data: data,
  });
}
