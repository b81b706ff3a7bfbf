import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Tokenizer } from '@huggingface/tokenizers';

import { loadSamples } from '../datasets/loadSamples.js';
import type { ClassificationSample } from '../datasets/types.js';
import { modelDigest } from '../models/modelDigest.js';
import { loadSuite } from '../suites/loadSuite.js';
import type { LoadedSuite } from '../suites/types.js';
import { formatJson } from '../util/formatJson.js';
import type { Hex32 } from '../util/sha256.js';
import { buildVocab } from './buildVocab.js';
import { exportOnnx } from './exportOnnx.js';
import { tokenizerConfig, tokenizerJson } from './tokenizerJson.js';
import { trainFastText, type TrainingExample } from './trainFastText.js';

/** A training recipe (`training/<name>.json`); see README "Models". */
export interface TrainConfig {
  name: string;
  description: string;
  seed: string;
  /** Suites whose datasets, with the split reversed (`use: train`), are the training data. */
  trainOn: string[];
  tokenizer: {
    words: number;
    minCount: number;
    subwords: number;
    foldConfusables: boolean;
    maxLength: number;
    maxInputCharsPerWord: number;
  };
  model: { dim: number };
  sgd: { epochs: number; learningRate: number };
  /** Loss weight per dataset name (default 1), e.g. to up-weight the rare hard ham. */
  datasetWeights?: Record<string, number>;
}

export interface TrainResult {
  dir: string;
  digest: Hex32;
  trainingSamples: number;
  vocabSize: number;
}

/**
 * Trains a fastText classifier on the training side of the given suites' splits and writes it
 * in the transformers.js layout. Everything it writes is a function of the config and the
 * (hash-checked) data, so training twice gives the same model digest.
 */
export async function trainModel(config: TrainConfig, outDir: string): Promise<TrainResult> {
  const suites = await Promise.all(config.trainOn.map((ref) => loadSuite(ref)));
  const samples = await trainingSamples(suites);
  const labels = suites[0]!.suite.labels;

  const skeleton = new Tokenizer(
    tokenizerJson({
      ...config.tokenizer,
      vocab: buildVocab([], { words: 0, minCount: 1, subwords: 0, maxWordChars: 0 }),
    }),
    tokenizerConfig(config.tokenizer.maxLength),
  );
  const words = samples.map((s) => skeleton.pre_tokenizer!(skeleton.normalizer!(s.text)));
  const vocab = buildVocab(words, {
    ...config.tokenizer,
    maxWordChars: config.tokenizer.maxInputCharsPerWord,
  });
  const tokenizerFile = tokenizerJson({ ...config.tokenizer, vocab });
  const tokenizerConfigFile = tokenizerConfig(config.tokenizer.maxLength);
  const tokenizer = new Tokenizer(tokenizerFile, tokenizerConfigFile);

  const examples: TrainingExample[] = samples.map((s) => ({
    ids: Int32Array.from(
      tokenizer
        .encode(s.text, { add_special_tokens: false })
        .ids.slice(0, config.tokenizer.maxLength),
    ),
    label: s.label,
    weight: config.datasetWeights?.[s.id.split('/')[0]!] ?? 1,
  }));
  const weights = trainFastText(examples, vocab.length, labels.length, {
    ...config.sgd,
    ...config.model,
    seed: config.seed,
  });

  const modelConfig = {
    // transformers.js picks its classes by model_type: "bert" is the encoder-only sequence
    // classification calling convention (input_ids, attention_mask -> logits); the graph
    // itself is the fastText network described under "charter".
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    problem_type: 'single_label_classification',
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    vocab_size: vocab.length,
    hidden_size: config.model.dim,
    max_position_embeddings: config.tokenizer.maxLength,
    charter: {
      name: config.name,
      description: config.description,
      architecture: 'fasttext: mean of token embeddings -> linear -> softmax',
      training: {
        ...config,
        suites: suites.map((s) => ({ name: s.suite.name, id: s.id })),
        samples: samples.length,
      },
    },
  };

  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'onnx'), { recursive: true });
  await writeFile(join(outDir, 'config.json'), formatJson(modelConfig));
  await writeFile(join(outDir, 'tokenizer.json'), formatJson(tokenizerFile));
  await writeFile(join(outDir, 'tokenizer_config.json'), formatJson(tokenizerConfigFile));
  await writeFile(join(outDir, 'onnx', 'model.onnx'), exportOnnx(weights));
  return {
    dir: outDir,
    digest: await modelDigest(outDir),
    trainingSamples: samples.length,
    vocabSize: vocab.length,
  };
}

/** The samples outside every given suite's held-out part, sorted by id. */
export async function trainingSamples(suites: LoadedSuite[]): Promise<ClassificationSample[]> {
  const byId = new Map<string, ClassificationSample>();
  for (const loaded of suites) {
    const { split } = loaded.suite;
    if (!split) throw new Error(`suite ${loaded.suite.name} has no split to train on`);
    const trainSide = {
      ...loaded,
      suite: { ...loaded.suite, split: { ...split, use: 'train' as const }, transform: undefined },
    };
    for (const s of await loadSamples(trainSide)) byId.set(s.id, s as ClassificationSample);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
