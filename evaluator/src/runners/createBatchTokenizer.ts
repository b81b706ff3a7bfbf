import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { fixedLengthIds, setRow, type FixedLengthIds } from './fixedLengthIds.js';
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
  fast?: (text: string, maxLength: number) => number[];
  /** Tokenize in a worker thread (default: where the fast encoder applies and the worker exists). */
  worker?: boolean;
}

export interface BatchTokenizer {
  /** Where the tokenizing runs, for the report's settings. */
  readonly thread: 'worker' | 'main';
  tokenize(texts: string[]): Promise<FixedLengthIds>;
  close(): Promise<void>;
}

/**
 * Texts to the model's padded int64 inputs. With the fast WordPiece encoder this runs in a
 * worker thread, so that while ONNX Runtime runs one batch on the main thread (its `run` is
 * synchronous there) the next batch is being tokenized: on these small models the tokenizer
 * costs more than the model. Requests are answered in order; callers keep two in flight.
 */
export function createBatchTokenizer(options: BatchTokenizerOptions): BatchTokenizer {
  const { length, padId, left, reference, fast } = options;
  const inThread: BatchTokenizer = {
    thread: 'main',
    async tokenize(texts) {
      return fixedLengthIds(
        texts.map((t) => (fast ?? reference)(t, length)),
        length,
        padId,
        left,
      );
    },
    async close() {},
  };
  const data: TokenizeWorkerData = { modelDir: options.modelDir, length, padId, left };
  const worker = fast && options.worker !== false ? startWorker(data) : undefined;
  if (!worker) return inThread;
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
    for (const r of reply.fallback)
      setRow(batch, r, reference(request.texts[r]!, length), length, left);
    request.resolve(batch);
  });
  let nextId = 0;
  return {
    thread: 'worker',
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
