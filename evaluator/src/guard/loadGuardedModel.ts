import { resolve } from 'node:path';
import { createIndexerClient, type IndexerClient } from '@charter/indexer/client';
import {
  env,
  pipeline,
  type TextClassificationOutput,
  type TextClassificationPipeline,
} from '@huggingface/transformers';
import type { Hex } from 'viem';

import { ModelInvalidError } from '../errors.js';
import { modelDigest } from '../models/modelDigest.js';
import { checkDigest, type ModelCheck } from '../onchain/checkModel.js';
import type { CharterConnection } from '../onchain/connect.js';
import { ModelNotApprovedError } from './errors.js';

export interface GuardedModelOptions {
  /** The chain and deployment whose ModelRegistry decides (`connectCharter`). */
  connection: CharterConnection;
  /** How long a verdict is trusted before `classify` asks the registry again (default 60 s). */
  verdictTtlMs?: number;
  /**
   * An indexer following the same deployment (its base URL, or a client): every change or block it
   * announces re-checks at once, so a revocation or suspension is learned within seconds.
   */
  indexer?: string | IndexerClient;
  /** Told each verdict as it is read, and each failure to read one. */
  onVerdict?: (check: ModelCheck) => void;
  onError?: (error: unknown) => void;
}

export interface GuardedModel {
  /** The artifact's digest, as the registry knows it. */
  readonly digest: Hex;
  /** Classifies only while the artifact is approved; otherwise throws ModelNotApprovedError. */
  classify(texts: string | string[]): Promise<TextClassificationOutput>;
  /** The registry's verdict, re-read if older than `verdictTtlMs`. */
  verdict(): Promise<ModelCheck>;
  /** Stops following the indexer and frees the model. */
  close(): Promise<void>;
}

// Models are files on disk: never reach for the Hugging Face Hub or write a cache (as the evaluator's runner).
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;

/**
 * Loads a text classifier only if the registry says this exact artifact (its digest, computed here) is
 * approved; otherwise throws ModelNotApprovedError naming its status. The verdict is cached for
 * `verdictTtlMs` and re-read when it expires or when the indexer announces a change, so a running
 * application stops classifying within seconds of a suspension or revocation.
 */
export async function loadGuardedModel(
  modelDir: string,
  options: GuardedModelOptions,
): Promise<GuardedModel> {
  const dir = resolve(modelDir);
  const ttl = options.verdictTtlMs ?? 60_000;
  if (!(ttl >= 0)) throw new RangeError(`verdictTtlMs must be 0 or more, got ${ttl}`);
  const digest = await modelDigest(dir);

  let current = await checkDigest(options.connection, digest);
  let checkedAt = Date.now();
  options.onVerdict?.(current);
  if (!current.approved) throw new ModelNotApprovedError(current);

  let classifier: TextClassificationPipeline;
  try {
    classifier = (await pipeline('text-classification', dir, {
      local_files_only: true,
      dtype: 'fp32',
      device: 'cpu',
    })) as TextClassificationPipeline;
  } catch (cause) {
    throw new ModelInvalidError(
      `model ${dir}: cannot load it as a text classifier`,
      { dir },
      { cause },
    );
  }

  // One read at a time: a burst of stream events or concurrent requests shares it, and an event that
  // arrives during a read asks for one more afterwards (that read may have missed its block).
  let pending: Promise<ModelCheck> | undefined;
  let again = false;
  const reportError = (error: unknown) => options.onError?.(error);
  const recheck = (): Promise<ModelCheck> => {
    if (pending) {
      again = true;
      return pending;
    }
    pending = checkDigest(options.connection, digest)
      .then((check) => {
        current = check;
        checkedAt = Date.now();
        options.onVerdict?.(check);
        return check;
      })
      .finally(() => {
        pending = undefined;
        if (again) {
          again = false;
          void recheck().catch(reportError);
        }
      });
    return pending;
  };

  const verdict = async (): Promise<ModelCheck> =>
    Date.now() - checkedAt >= ttl ? recheck() : (pending ?? current);

  const indexer =
    typeof options.indexer === 'string' ? createIndexerClient(options.indexer) : options.indexer;
  const unsubscribe = indexer?.subscribe(() => void recheck().catch(reportError), {
    onBlock: () => void recheck().catch(reportError),
    onError: reportError,
  });

  let closed = false;
  return {
    digest,
    async classify(texts) {
      if (closed) throw new Error(`guarded model ${dir} is closed`);
      const check = await verdict();
      if (!check.approved) throw new ModelNotApprovedError(check);
      return classifier(texts);
    },
    verdict,
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe?.();
      await classifier.dispose();
    },
  };
}
