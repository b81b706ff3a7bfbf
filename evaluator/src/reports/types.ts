import type { AdapterFacts } from '../runners/probeWebGpuAdapter.js';
import type { Hex32 } from '../util/sha256.js';

/** One sample's result: the leaf of the samples Merkle tree. */
export interface Outcome {
  id: string;
  /** Expected class (1 = the suite's positive label). */
  label: number;
  /** Predicted class. */
  prediction: number;
  /** The model's probability of the positive class, as a WAD (generation: 1e18 or 0). */
  score: bigint;
}

/**
 * 2: scores rounded to the suite's `scoreDecimals` (was: 1e-6) with the prediction read from the
 * rounded score, and the device moved from `runner` (digested) to `host.settings` (recorded), so
 * that the same evaluation on a CPU, a GPU or at another batch size has the same digest.
 */
export const REPORT_FORMAT = 'charter-report/2';

/** What ran the model, as the runner describes itself. */
export interface RunnerInfo {
  name: 'transformers.js' | 'openai-http';
  /** cpu | cuda | webgpu for transformers.js (never `auto`: the device it resolved to); remote for HTTP. */
  device: string;
  dtype: string;
  /** HTTP runner: the served model name and endpoint kind. */
  model?: string;
  endpoint?: 'chat' | 'completions';
}

/** The digested part of `RunnerInfo`: what ran the model, not where (a dtype selects the ONNX file). */
export type ReportRunner = Omit<RunnerInfo, 'device'>;

/**
 * Every setting of a run that can change a model's numbers, recorded (not digested) so that
 * `verify` replays them and says which it could not.
 */
export interface RunSettings {
  /** cpu | cuda | webgpu | remote. */
  device: string;
  /** ONNX Runtime's execution provider (`CPUExecutionProvider`...), or `http`. */
  executionProvider: string;
  /** WebGPU: the Vulkan adapter it ran on. */
  adapter?: AdapterFacts;
  dtype: string;
  batchSize: number;
  /** Every sample is padded to this many tokens (`padding: max_length`). */
  sequenceLength?: number;
  padding?: 'max_length';
  /** Which tokenizer produced the ids (they are identical; recorded for the reader). */
  tokenizer?: string;
  /** ONNX Runtime intra-op threads, or `default` (all cores). */
  threads?: number | 'default';
  /** The runner's libraries. */
  versions: Record<string, string>;
}

/**
 * A report as stored: RFC 8785 canonical JSON. Integers that may exceed 2^53 are decimal strings.
 * `digest` covers every field except `digest`, `host` and `timings`.
 */
export interface Report {
  format: typeof REPORT_FORMAT;
  /** `scoreDecimals`: the precision of every sample's score, from the suite. */
  suite: { id: Hex32; name: string; version: string; datasetDigest: Hex32; scoreDecimals: number };
  model: { digest: Hex32 };
  runner: ReportRunner;
  /** In the suite's declared metric order; values are WAD integers. */
  metrics: { id: string; value: string }[];
  /** Sorted by id; `score` = P(positive) as a WAD rounded to `suite.scoreDecimals` places. */
  samples: { id: string; label: number; prediction: number; score: string }[];
  samplesRoot: Hex32;
  digest: Hex32;
  host: HostFacts;
  timings: Timings;
}

/** Where and how the report was produced; recorded for people, kept out of the digest. */
export interface HostFacts {
  hostname: string;
  platform: string;
  arch: string;
  cpus: string;
  node: string;
  evaluator: string;
  libraries: Record<string, string>;
  modelPath?: string;
  suitePath?: string;
  batchSize: number;
  startedAt: string;
  settings: RunSettings;
}

export interface Timings {
  /** Reading, hashing and preparing the dataset. */
  loadMs: number;
  /** Running the model over every sample. */
  inferMs: number;
  totalMs: number;
  samplesPerSecond: number;
}

/** The fields excluded from a report's digest (the protocol's rule). */
export { UNDIGESTED_REPORT_FIELDS as UNDIGESTED_FIELDS } from '@charter/contracts/protocol';
