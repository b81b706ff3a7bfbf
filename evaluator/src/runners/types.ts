import type { RunnerInfo, RunSettings } from '../reports/types.js';

/** Where a transformers.js model runs. `auto` tries CUDA, then WebGPU on a hardware adapter, then the CPU. */
export type Device = 'cpu' | 'cuda' | 'webgpu' | 'auto';

/** A model that assigns class probabilities to texts (a text-classification suite). */
export interface ClassifierRunner {
  kind: 'classifier';
  info: RunnerInfo;
  /** Every setting of this runner that can change a number (the batch size is the run's). */
  settings: Omit<RunSettings, 'batchSize'>;
  /** The model's label names, index = class id. */
  labels: string[];
  /** Probabilities per label, for each text, in input order. */
  classify(texts: string[]): Promise<number[][]>;
  /** Batches to request ahead of the one being awaited, to keep its tokenizer threads busy (default 0). */
  batchesAhead?: number;
  dispose(): Promise<void>;
}

export interface GenerationRequest {
  prompt: string;
  system?: string;
  maxTokens: number;
  temperature: number;
}

/** A model that completes prompts (a generation suite). */
export interface GeneratorRunner {
  kind: 'generator';
  info: RunnerInfo;
  settings: Omit<RunSettings, 'batchSize'>;
  /** One completion per request, in input order. */
  generate(requests: GenerationRequest[]): Promise<string[]>;
  dispose(): Promise<void>;
}

export type Runner = ClassifierRunner | GeneratorRunner;
