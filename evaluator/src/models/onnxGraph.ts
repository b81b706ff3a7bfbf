import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

// Small builders for hand-made ONNX graphs (the test and benchmark models), in the transformers.js
// calling convention: `input_ids`, `attention_mask` [batch, sequence] int64 in, `logits` out.

export const T = onnx.TensorProto.DataType;
type Attribute = InstanceType<typeof onnx.AttributeProto>;

export function node(
  opType: string,
  input: string[],
  output: string,
  attribute: Attribute[] = [],
  domain = '',
) {
  // An empty domain is left out rather than written, so a graph's bytes stay those it always had.
  return onnx.NodeProto.create({
    opType,
    input,
    output: [output],
    name: output,
    attribute,
    ...(domain ? { domain } : {}),
  });
}

export const intAttr = (name: string, i: number): Attribute =>
  onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT });
export const floatAttr = (name: string, f: number): Attribute =>
  onnx.AttributeProto.create({ name, f, type: onnx.AttributeProto.AttributeType.FLOAT });
export const intsAttr = (name: string, ints: number[]): Attribute =>
  onnx.AttributeProto.create({ name, ints, type: onnx.AttributeProto.AttributeType.INTS });

export function valueInfo(name: string, elemType: number, shape: (string | number)[]) {
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

export function floatTensor(name: string, dims: number[], data: Float32Array) {
  // Raw little-endian bytes, whatever the host's byte order: compact, and exactly the float32 values given.
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return onnx.TensorProto.create({ name, dims, dataType: T.FLOAT, rawData: raw });
}

export function int64Tensor(name: string, dims: number[], data: number[]) {
  return onnx.TensorProto.create({ name, dims, dataType: T.INT64, int64Data: data });
}

/** A model of one graph with the standard inputs; `opset` of the default domain. */
export function encodeModel(
  graph: Parameters<typeof onnx.GraphProto.create>[0],
  opset: number,
  labels: number,
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'charter-evaluator',
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: opset })],
    graph: onnx.GraphProto.create({
      input: [
        valueInfo('input_ids', T.INT64, ['batch_size', 'sequence_length']),
        valueInfo('attention_mask', T.INT64, ['batch_size', 'sequence_length']),
      ],
      output: [valueInfo('logits', T.FLOAT, ['batch_size', labels])],
      ...graph,
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Deterministic float32 weights: a seeded xorshift stream, uniform in [-scale, scale). */
export function seededWeights(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = ((x / 0x100000000) * 2 - 1) * scale;
  }
  return out;
}
