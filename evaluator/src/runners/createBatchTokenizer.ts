import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { WordPieceEncoder } from './createWordPieceEncoder.js';
import { paddedBatch, setRow, type FixedLengthIds } from './fixedLengthIds.js';
import type { TokenizeReply, TokenizeRequest, TokenizeWorkerData } from './tokenizeWorker.js';

export interface BatchTokenizerOptions {
  modelDir: string;
  /** Every row is padded (or cut) to this many tokens. */
  length: number;
  padId: number;
  left: boolean;
  /** The reference tokenizer (transformers.js), for texts the fast encoder hands back. */
  reference: (text: string, maxLength: number) => number[];
  /** The fast WordPiece encoder where it covers the model's tokenizer, else undefined. */
  fast?: WordPieceEncoder;
  /**
   * Worker threads to tokenize in (default: one per core but one, at most 4; 0: the main
   * thread). Only with the fast encoder; the transformers.js tokenizer stays on the main thread.
   */
  workers?: number;
}

export interface BatchTokenizer {
  /** Worker threads tokenizing (0: the main thread does). */
  readonly workers: number;
  /** Batches a caller should keep requested ahead of the one it waits for, to keep them busy. */
  readonly ahead: number;
  tokenize(texts: string[]): Promise<FixedLengthIds>;
  close(): Promise<void>;
}

/**
 * Texts to the model's padded int64 inputs. With the fast WordPiece encoder this runs in worker
 * threads, each taking whole batches in turn, so that while ONNX Runtime runs one batch on the
 * main thread (its `run` is synchronous there) the next ones are being tokenized: on the
 * bundled models the tokenizer costs more than the model. Batches resolve in request order.
 */
export function createBatchTokenizer(options: BatchTokenizerOptions): BatchTokenizer {
  const { length, padId, left, reference, fast } = options;
  const count = fast
    ? (options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1)))
    : 0;
  const data: TokenizeWorkerData = { modelDir: options.modelDir, length, padId, left };
  const workers: TokenizeWorker[] = [];
  for (let k = 0; k < count; k++) {
    const worker = startWorker(data);
    if (!worker) break;
    workers.push(tokenizeWorker(worker, reference, length, left));
  }
  if (workers.length === 0)
    return {
      workers: 0,
      ahead: 0,
      async tokenize(texts) {
        const batch = paddedBatch(texts.length, length, padId);
        texts.forEach((text, r) =>
          setRow(
            batch,
            r,
            fast?.encodeShared(text, length) ?? reference(text, length),
            length,
            left,
          ),
        );
        return batch;
      },
      async close() {},
    };
  let next = 0;
  return {
    workers: workers.length,
    ahead: workers.length,
    tokenize(texts) {
      return workers[next++ % workers.length]!.tokenize(texts);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

interface TokenizeWorker {
  tokenize(texts: string[]): Promise<FixedLengthIds>;
  close(): Promise<void>;
}

function tokenizeWorker(
  worker: Worker,
  reference: (text: string, maxLength: number) => number[],
  length: number,
  left: boolean,
): TokenizeWorker {
  // Unreferenced while idle, so that a runner nobody disposes does not keep the process alive.
  worker.unref();
  const pending = new Map<
    number,
    { resolve: (batch: FixedLengthIds) => void; reject: (error: Error) => void; texts: string[] }
  >();
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('error', (error) => failAll(new Error(`tokenizer worker failed: ${error.message}`)));
  worker.on('exit', (code) => failAll(new Error(`tokenizer worker exited (code ${code})`)));
  worker.on('message', (reply: TokenizeReply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if ('error' in reply) return request.reject(new Error(`tokenizer worker: ${reply.error}`));
    const batch = { ids: reply.ids, mask: reply.mask };
    // Texts with an added token typed in: the transformers.js tokenizer, here.
    for (const r of reply.fallback)
      setRow(batch, r, reference(request.texts[r]!, length), length, left);
    request.resolve(batch);
  });
  let nextId = 0;
  return {
    tokenize(texts) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject, texts });
        const request: TokenizeRequest = { id, texts };
        worker.postMessage(request);
      });
    },
    async close() {
      failAll(new Error('tokenizer worker closed: the runner was disposed'));
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/**
 * The worker: its TypeScript beside this file, through tsx's loader (Node 20 does not apply an
 * `--import` loader to a worker's entry file, so a small script registers it, then imports the
 * code), or the JavaScript a bundle puts beside itself.
 */
function startWorker(workerData: TokenizeWorkerData): Worker | undefined {
  const source = new URL('./tokenizeWorker.ts', import.meta.url);
  if (existsSync(source)) {
    // tsx's "./esm/api" export, for the import condition.
    const tsxApi = join(
      dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
      'dist/esm/api/index.mjs',
    );
    const script = `import(${JSON.stringify(pathToFileURL(tsxApi).href)})
      .then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
    return new Worker(script, { eval: true, workerData });
  }
  const bundled = new URL('./tokenizeWorker.mjs', import.meta.url);
  return existsSync(bundled) ? new Worker(bundled, { workerData }) : undefined;
}
