import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';

import { DeviceUnavailableError, ModelInvalidError } from '../errors.js';
import type { ClassifierRunner, Device } from './types.js';

export interface TransformersRunnerOptions {
  /** Default `auto`. */
  device?: Device;
  /** Selects onnx/model{suffix}.onnx the transformers.js way; default `fp32` (onnx/model.onnx). */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
  /** ONNX Runtime intra-op threads; default: ONNX Runtime's choice (all cores). */
  threads?: number;
  /** Receives the one line that says `auto` fell back to the CPU. */
  log?: (line: string) => void;
}

const DTYPE_SUFFIX: Record<string, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

// Models are files on disk: never reach for the Hugging Face Hub or write a cache.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;

/**
 * A text classifier in the transformers.js layout, run by ONNX Runtime through
 * AutoTokenizer + AutoModelForSequenceClassification.
 *
 * Every text is padded to the tokenizer's `model_max_length`, so each sample meets the same
 * tensor shapes whatever else is in its batch: ONNX Runtime's kernels choose their summation
 * order by shape, and with shapes that follow the batch a score could change with batch size.
 */
export async function createTransformersRunner(
  modelDir: string,
  options: TransformersRunnerOptions = {},
): Promise<ClassifierRunner> {
  const dir = resolve(modelDir);
  const dtype = options.dtype ?? 'fp32';
  const onnxFile = `onnx/model${DTYPE_SUFFIX[dtype] ?? ''}.onnx`;
  await requireFiles(dir, ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile]);

  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (cause) {
    throw new ModelInvalidError(`model ${dir}: cannot load its tokenizer`, { dir }, { cause });
  }
  const requested = options.device ?? 'auto';
  const { model, device } = await loadModel(dir, requested, dtype, onnxFile, options);

  const labels = labelNames(model.config as { id2label?: Record<string, string> }, dir);
  const maxLength = Number.isFinite(tokenizer.model_max_length)
    ? tokenizer.model_max_length
    : ((model.config as { max_position_embeddings?: number }).max_position_embeddings ?? 512);

  return {
    kind: 'classifier',
    info: { name: 'transformers.js', device, dtype },
    labels,
    async classify(texts) {
      if (texts.length === 0) return [];
      const encoded = tokenizer(texts, {
        truncation: true,
        max_length: maxLength,
        return_tensor: false,
      });
      const inputs = fixedLengthTensors(
        encoded as unknown as Record<string, number[][]>,
        maxLength,
        tokenizer,
      );
      const { logits } = (await model(inputs)) as { logits: Tensor };
      return softmaxRows(logits.data as Float32Array, labels.length);
    },
    async dispose() {
      await model.dispose();
    },
  };
}

async function loadModel(
  dir: string,
  requested: Device,
  dtype: string,
  onnxFile: string,
  options: TransformersRunnerOptions,
): Promise<{ model: PreTrainedModel; device: Exclude<Device, 'auto'> }> {
  const load = (device: Exclude<Device, 'auto'>) =>
    AutoModelForSequenceClassification.from_pretrained(dir, {
      local_files_only: true,
      device,
      dtype: dtype as 'fp32',
      session_options: {
        ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
        // Probing a device that is absent should fail quietly; we report it ourselves.
        logSeverityLevel: 4,
      },
    });
  // `auto` tries CUDA only where onnxruntime-node ships it and its provider library is
  // installed, so the usual CPU-only host falls back without ONNX Runtime printing errors.
  const cuda = cudaProviderStatus();
  if (requested === 'cuda' && !cuda.installed)
    throw new DeviceUnavailableError(`device cuda is not available: ${cuda.reason}`, {
      device: requested,
      dir,
    });
  const candidates: Exclude<Device, 'auto'>[] =
    requested === 'auto' ? (cuda.installed ? ['cuda', 'cpu'] : ['cpu']) : [requested];
  let lastError: unknown =
    requested === 'auto' && !cuda.installed ? new Error(cuda.reason) : undefined;
  for (const device of candidates) {
    try {
      const model = await load(device);
      if (requested === 'auto' && device === 'cpu')
        options.log?.(`device auto: cuda is not available (${reason(lastError)}); running on cpu`);
      return { model, device };
    } catch (cause) {
      if (isCorruptModel(cause))
        throw new ModelInvalidError(
          `model ${dir}: ${onnxFile} is not a valid ONNX model (${reason(cause)})`,
          { dir, file: onnxFile },
          { cause },
        );
      lastError = cause;
    }
  }
  throw new DeviceUnavailableError(
    `device ${requested} is not available: ${reason(lastError)}`,
    { device: requested, dir },
    { cause: lastError },
  );
}

/** Whether onnxruntime-node's CUDA execution provider library is present on this host. */
function cudaProviderStatus(): { installed: boolean; reason: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return {
      installed: false,
      reason: `onnxruntime-node has no CUDA build for ${process.platform}-${process.arch}`,
    };
  const binding = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
  const lib = resolve(
    binding,
    '..',
    'bin',
    'napi-v6',
    'linux',
    'x64',
    'libonnxruntime_providers_cuda.so',
  );
  return existsSync(lib)
    ? { installed: true, reason: '' }
    : { installed: false, reason: 'onnxruntime-node was installed without its CUDA provider' };
}

function isCorruptModel(error: unknown): boolean {
  return /protobuf parsing failed|ModelProto|Load model .* failed|invalid model|model_path must not be empty/i.test(
    String((error as Error)?.message ?? error),
  );
}

function reason(error: unknown): string {
  const message = String((error as Error)?.message ?? error ?? 'unknown error');
  return message.split('\n')[0]!.slice(0, 200);
}

async function requireFiles(dir: string, files: string[]): Promise<void> {
  const missing: string[] = [];
  for (const file of files) await access(join(dir, file)).catch(() => missing.push(file));
  if (missing.length)
    throw new ModelInvalidError(`model ${dir} is missing ${missing.join(', ')}`, { dir, missing });
}

function labelNames(config: { id2label?: Record<string, string> }, dir: string): string[] {
  const entries = Object.entries(config.id2label ?? {});
  if (entries.length < 2)
    throw new ModelInvalidError(`model ${dir}: config.json has no id2label`, { dir });
  const labels: string[] = [];
  for (const [id, name] of entries) labels[Number(id)] = name;
  return labels;
}

/**
 * The tokenizer's output padded to `length` as int64 tensors. Done here rather than with the
 * tokenizer's `padding: 'max_length'`, which builds the same tensors through per-element BigInt
 * arrays and costs a third of the evaluator's throughput.
 */
function fixedLengthTensors(
  encoded: Record<string, number[][]>,
  length: number,
  tokenizer: PreTrainedTokenizer,
): Record<string, Tensor> {
  const tensors: Record<string, Tensor> = {};
  for (const [key, rows] of Object.entries(encoded)) {
    const data = new BigInt64Array(rows.length * length);
    if (key === 'input_ids') data.fill(BigInt(tokenizer.pad_token_id ?? 0));
    rows.forEach((row, r) => {
      const offset = r * length + (tokenizer.padding_side === 'left' ? length - row.length : 0);
      for (let j = 0; j < row.length; j++) data[offset + j] = BigInt(row[j]!);
    });
    tensors[key] = new Tensor('int64', data, [rows.length, length]);
  }
  return tensors;
}

/** Row-wise softmax in float64, so the probabilities depend only on that row's logits. */
function softmaxRows(logits: Float32Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < logits.length; offset += width) {
    const row = Array.from(logits.subarray(offset, offset + width));
    const max = Math.max(...row);
    const exps = row.map((z) => Math.exp(z - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    rows.push(exps.map((e) => e / sum));
  }
  return rows;
}
