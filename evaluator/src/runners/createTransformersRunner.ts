import { existsSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
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

import {
  AdapterUnavailableError,
  DeviceUnavailableError,
  DeviceUnsupportedModelError,
  ModelInvalidError,
} from '../errors.js';
import { dependencyVersion } from '../reports/hostFacts.js';
import type { RunSettings } from '../reports/types.js';
import { createBatchTokenizer } from './createBatchTokenizer.js';
import { createWordPieceEncoder } from './createWordPieceEncoder.js';
import { probeWebGpuAdapter, type AdapterFacts } from './probeWebGpuAdapter.js';
import type { ClassifierRunner, Device } from './types.js';

export interface TransformersRunnerOptions {
  /** Default `auto`. */
  device?: Device;
  /** Selects onnx/model{suffix}.onnx the transformers.js way; default `fp32` (onnx/model.onnx). */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
  /** ONNX Runtime intra-op threads; default: ONNX Runtime's choice (all cores). */
  threads?: number;
  /** Worker threads that tokenize while the model runs (default: cores but one, at most 4; 0: none). */
  tokenizerWorkers?: number;
  /** Receives the one line that says which device `auto` chose and why. */
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
  const { model, device, adapter } = await loadModel(dir, requested, dtype, onnxFile, options);

  const labels = labelNames(model.config as { id2label?: Record<string, string> }, dir);
  const maxLength = Number.isFinite(tokenizer.model_max_length)
    ? tokenizer.model_max_length
    : ((model.config as { max_position_embeddings?: number }).max_position_embeddings ?? 512);

  const reference = (text: string, length: number): number[] =>
    (
      tokenizer([text], {
        truncation: true,
        max_length: length,
        return_tensor: false,
      }) as unknown as { input_ids: number[][] }
    ).input_ids[0]!;
  const encoder = createWordPieceEncoder(
    JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')),
    JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<
      string,
      unknown
    >,
    reference,
  );
  const tokenizerBatches = createBatchTokenizer({
    modelDir: dir,
    length: maxLength,
    padId: tokenizer.pad_token_id ?? 0,
    left: tokenizer.padding_side === 'left',
    reference,
    fast: encoder,
    workers: options.tokenizerWorkers,
  });
  const settings: Omit<RunSettings, 'batchSize'> = {
    device,
    executionProvider: EXECUTION_PROVIDER[device],
    ...(adapter ? { adapter } : {}),
    dtype,
    sequenceLength: maxLength,
    padding: 'max_length',
    tokenizer: encoder ? 'wordpiece-fast' : 'transformers.js',
    threads: options.threads ?? 'default',
    versions: {
      '@huggingface/transformers': dependencyVersion('@huggingface/transformers'),
      'onnxruntime-node': dependencyVersion('onnxruntime-node'),
    },
  };

  return {
    kind: 'classifier',
    info: { name: 'transformers.js', device, dtype },
    settings,
    labels,
    batchesAhead: tokenizerBatches.ahead,
    async classify(texts) {
      if (texts.length === 0) return [];
      const { ids, mask } = await tokenizerBatches.tokenize(texts);
      const dims = [texts.length, maxLength];
      const inputs = {
        input_ids: new Tensor('int64', ids, dims),
        attention_mask: new Tensor('int64', mask, dims),
      };
      let logits: Tensor;
      try {
        ({ logits } = (await model(inputs)) as { logits: Tensor });
      } catch (cause) {
        if (device === 'cpu') throw cause;
        throw new DeviceUnsupportedModelError(
          `device ${device} cannot run model ${dir}: ${reason(cause)}; run it with --device cpu`,
          { device, dir },
          { cause },
        );
      }
      return softmaxRows(logits.data as Float32Array, labels.length);
    },
    async dispose() {
      await tokenizerBatches.close();
      await model.dispose();
    },
  };
}

/**
 * ONNX Runtime's intra-op threads wait for work by sleeping, not spinning: the evaluator's
 * tokenizer threads share the cores with them, and spinning threads took their cycles (on two
 * loaded cores, both the model and the evaluator ran faster without spinning; BENCHMARKS.md).
 */
export const EVALUATOR_SESSION_OPTIONS = {
  extra: { session: { intra_op: { allow_spinning: '0' } } },
} as const;

const EXECUTION_PROVIDER: Record<Exclude<Device, 'auto'>, string> = {
  cpu: 'CPUExecutionProvider',
  cuda: 'CUDAExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
};

type Loaded = { model: PreTrainedModel; device: Exclude<Device, 'auto'>; adapter?: AdapterFacts };

async function loadModel(
  dir: string,
  requested: Device,
  dtype: string,
  onnxFile: string,
  options: TransformersRunnerOptions,
): Promise<Loaded> {
  const load = (device: Exclude<Device, 'auto'>) =>
    AutoModelForSequenceClassification.from_pretrained(dir, {
      local_files_only: true,
      device,
      dtype: dtype as 'fp32',
      session_options: {
        ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
        ...EVALUATOR_SESSION_OPTIONS,
        // Probing a device that is absent should fail quietly; we report it ourselves.
        logSeverityLevel: 4,
      },
    });
  const corrupt = (cause: unknown) =>
    new ModelInvalidError(
      `model ${dir}: ${onnxFile} is not a valid ONNX model (${reason(cause)})`,
      { dir, file: onnxFile },
      { cause },
    );
  const cuda = cudaProviderStatus();
  const probe = probeWebGpuAdapter();

  if (requested === 'cuda' && !cuda.installed)
    throw new DeviceUnavailableError(`device cuda is not available: ${cuda.reason}`, {
      device: requested,
      dir,
    });
  if (requested === 'webgpu' && !probe.adapter)
    throw new AdapterUnavailableError(`no WebGPU adapter: ${probe.reason}`, { dir, ...probe });
  if (requested !== 'auto') {
    try {
      return { model: await load(requested), device: requested, adapter: webgpuOnly(requested) };
    } catch (cause) {
      if (isCorruptModel(cause)) throw corrupt(cause);
      if (requested === 'webgpu' && /adapter/i.test(reason(cause)))
        throw new AdapterUnavailableError(
          `no WebGPU adapter: ${reason(cause)}`,
          { dir, ...probe },
          { cause },
        );
      if (requested === 'webgpu')
        throw new DeviceUnsupportedModelError(
          `device webgpu cannot run model ${dir}: ${reason(cause)}; run it with --device cpu`,
          { dir, device: requested },
          { cause },
        );
      throw new DeviceUnavailableError(
        `device ${requested} is not available: ${reason(cause)}`,
        { device: requested, dir },
        { cause },
      );
    }
  }

  // auto: CUDA where its provider is installed, then WebGPU on a hardware adapter, then the CPU.
  const skipped: string[] = [];
  if (cuda.installed) {
    try {
      const model = await load('cuda');
      options.log?.('device auto: running on cuda (the CUDA provider is installed)');
      return { model, device: 'cuda' };
    } catch (cause) {
      if (isCorruptModel(cause)) throw corrupt(cause);
      skipped.push(`cuda failed (${reason(cause)})`);
    }
  } else skipped.push(`no cuda (${cuda.reason})`);
  if (probe.adapter && !probe.adapter.software) {
    try {
      const model = await load('webgpu');
      options.log?.(
        `device auto: running on webgpu, adapter ${probe.adapter.vendor} ${probe.adapter.device} (${skipped.join('; ')})`,
      );
      return { model, device: 'webgpu', adapter: probe.adapter };
    } catch (cause) {
      if (isCorruptModel(cause)) throw corrupt(cause);
      skipped.push(`webgpu failed (${reason(cause)})`);
    }
  } else
    skipped.push(
      probe.adapter
        ? `no webgpu on a GPU (${probe.reason}: a software adapter is slower than the CPU provider)`
        : `no webgpu (${probe.reason})`,
    );
  try {
    const model = await load('cpu');
    options.log?.(`device auto: running on cpu (${skipped.join('; ')})`);
    return { model, device: 'cpu' };
  } catch (cause) {
    if (isCorruptModel(cause)) throw corrupt(cause);
    throw new DeviceUnavailableError(
      `device auto: no device could load the model: ${reason(cause)}`,
      { device: requested, dir },
      { cause },
    );
  }

  function webgpuOnly(device: Exclude<Device, 'auto'>): AdapterFacts | undefined {
    return device === 'webgpu' ? probe.adapter : undefined;
  }
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
