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

export const REPORT_FORMAT = 'charter-report/1';

/** What ran the model. Part of the digest: a device or dtype can change the numbers. */
export interface RunnerInfo {
  name: 'transformers.js' | 'openai-http';
  /** cpu | cuda | webgpu for transformers.js (never `auto`: the device it resolved to); remote for HTTP. */
  device: string;
  dtype: string;
  /** HTTP runner: the served model name and endpoint kind. */
  model?: string;
  endpoint?: 'chat' | 'completions';
}

/**
 * A report as stored: RFC 8785 canonical JSON. Integers that may exceed 2^53 are decimal strings.
 * `digest` covers every field except `digest`, `host` and `timings`.
 */
export interface Report {
  format: typeof REPORT_FORMAT;
  suite: { id: Hex32; name: string; version: string; datasetDigest: Hex32 };
  model: { digest: Hex32 };
  runner: RunnerInfo;
  /** In the suite's declared metric order; values are WAD integers. */
  metrics: { id: string; value: string }[];
  /** Sorted by id. */
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
