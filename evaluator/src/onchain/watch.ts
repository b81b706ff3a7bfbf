import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evidenceRegistryAbi, modelRegistryAbi } from '@charter/contracts/abis';
import {
  formatMetric,
  ModelStatus,
  proposalKindOf,
  ProposalState,
  resultId as resultIdOf,
} from '@charter/contracts/protocol';
import { createIndexerClient, type Change, type IndexerClient } from '@charter/indexer/client';
import { decodeFunctionData, type Address, type Hex } from 'viem';

import { EvaluatorError, NotReplayableError } from '../errors.js';
import { readReport } from '../reports/readReport.js';
import type { Report } from '../reports/types.js';
import { verifyReport, type Verdict } from '../reports/verifyReport.js';
import { writeReport } from '../reports/writeReport.js';
import { createEvaluationCache } from '../run/evaluationCache.js';
import type { TransformersRunnerOptions } from '../runners/createTransformersRunner.js';
import { listSuites } from '../suites/listSuites.js';
import type { LoadedSuite } from '../suites/types.js';
import type { CharterConnection } from './connect.js';
import {
  chainResult,
  checkAgainstChain,
  disputeObstacle,
  disputeResult,
  firstDisputableSample,
  isoTime,
} from './disputes.js';
import { DisputeRefusedError, IndexerMismatchError, TransactionRevertedError } from './errors.js';
import { fetchModel } from './fetchModel.js';
import { fetchReport } from './fetchReport.js';
import { submitResult } from './submitResult.js';

export interface WatchOptions {
  /** The indexer that follows the same deployment: its base URL, or a client of it. */
  indexer: string | IndexerClient;
  /** Keeps the reports written and the models refused between runs, and the fetched models. */
  stateDir: string;
  /** Where to find the suites that policies name (default: the bundled suites). */
  suitesDir?: string;
  /** Milliseconds between looks when the indexer's stream announces nothing (default 10 s). */
  pollIntervalMs?: number;
  /** Where a report can be fetched once written; default: its file:// path. */
  reportUri?: (path: string, digest: Hex) => string;
  runner?: TransformersRunnerOptions;
  batchSize?: number;
  signal?: AbortSignal;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

/** What the watcher keeps between runs. Only a cache: whether a result is posted is the chain's to say. */
interface WatchState {
  format: 'charter-watch/2';
  /** "<model>:<suite>" → digest of the report written for it (`<stateDir>/reports/<digest>.json`). */
  reports: Record<string, Hex>;
  /** "<model>:<suite>:<uri>" → why it is not evaluated (an artifact that does not match its digest). */
  refused: Record<string, string>;
  /** "<resultId>:<reportDigest>" → the peer verification of another evaluator's result version. */
  peers?: Record<string, PeerCheck>;
}

/**
 * Where the verification of another evaluator's result version stands. Whether a dispute is on-chain is
 * the chain's to say (a reorg may remove one); this keeps the verdict, so that a restart does not re-run.
 */
interface PeerCheck {
  /** `verify`'s verdict on the peer's report, once re-run. */
  verdict?: Verdict;
  /** A mismatch: the first sample that does not reproduce, and this watcher's report of the re-run. */
  sample?: string;
  report?: Hex;
  /** The dispute this watcher opened, as last seen. */
  disputeId?: string;
  txHash?: Hex;
  /** Nothing more to do for this version, and why (reproduces, struck, window closed...). */
  done?: string;
}

/** Another evaluator's result version, as the indexer lists it. */
interface PeerResult {
  evaluator: string;
  reportDigest: string;
  uri: string;
}

/** One (model, suite) to evaluate and post. */
interface Target {
  modelId: Hex;
  suiteId: Hex;
  family: string;
  version: string;
  uri: string;
}

/** Indexer changes that can make or unmake a target. */
const RELEVANT: ReadonlySet<Change['kind']> = new Set([
  'model',
  'proposal',
  'policy',
  'result',
  'suite',
  'evaluator',
]);
/** The kind of proposal that calls `ModelRegistry.approve`. */
const APPROVALS = proposalKindOf('modelRegistry', 'approve');
/** The states in which a proposal may still execute: its model is worth evaluating. */
const LIVE_PROPOSAL_STATES = [
  ProposalState.pending,
  ProposalState.active,
  ProposalState.succeeded,
  ProposalState.queued,
];

/**
 * Evaluates automatically: every candidate model, and every model a live proposal would approve, is fetched
 * and checked against its registered digest, run on each suite the active policies name, and its result
 * posted. The watcher learns of models, proposals, policies and results from the indexer (its HTTP API,
 * woken by its stream), whose sync is reorg-safe; right before posting it asks the chain itself whether the
 * model is registered and whether this evaluator's result is already there. So a restart, a lost state
 * directory or a reorg never posts a result twice, and a result orphaned by a reorg is posted again on the
 * chain that survives.
 */
export async function watch(connection: CharterConnection, options: WatchOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const evaluator = connection.account?.address;
  if (!evaluator || !connection.wallet) throw new EvaluatorError('watch needs a private key');
  const indexer =
    typeof options.indexer === 'string' ? createIndexerClient(options.indexer) : options.indexer;
  const statePath = join(options.stateDir, 'watch-state.json');
  await mkdir(join(options.stateDir, 'reports'), { recursive: true });
  const state = await loadState(statePath);
  const suites = new Map((await listSuites(options.suitesDir)).map((s) => [s.id, s]));
  const save = () => saveState(statePath, state);
  const peers = (state.peers ??= {});
  const targetsOf = targetFinder(connection, indexer);
  /** Keys already said to be on-chain, so the log says it once. */
  const seenOnChain = new Set<string>();
  /** Targets that failed for a reason that may pass (an artifact server down), and when to try again. */
  const retries = new Map<string, { failures: number; at: number }>();
  const interval = options.pollIntervalMs ?? 10_000;
  /** Suites' samples and models' runners, kept across evaluations until the watcher stops. */
  const evaluations = createEvaluationCache(options.runner);

  const wake = new Wakeup();
  const unsubscribe = indexer.subscribe((change) => RELEVANT.has(change.kind) && wake.ring(), {
    onError: (error) => log('watch.stream_error', { message: (error as Error).message }),
  });
  let checkedIndexer = false;
  log('watch.started', { evaluator });
  let failures = 0;
  try {
    while (!options.signal?.aborted) {
      try {
        if (!checkedIndexer) checkedIndexer = await checkIndexer(indexer, connection);
        if (checkedIndexer && (await indexer.ready()).ready) {
          const posted = await postedByMe(indexer, evaluator);
          const targets = await targetsOf();
          for (const target of targets) {
            if (options.signal?.aborted) break;
            const key = `${target.modelId}:${target.suiteId}`;
            if (posted.has(key) || (retries.get(key)?.at ?? 0) > Date.now()) continue;
            await handleApart(key, () => handle(target), target);
          }
          // Then every other evaluator's results for the same models and suites.
          for (const target of targets) {
            for (const peer of await peerResults(target)) {
              if (options.signal?.aborted) break;
              const key = `${resultIdOf(target.modelId, target.suiteId, peer.evaluator as Address)}:${peer.reportDigest}`;
              if (peers[key]?.done || (retries.get(key)?.at ?? 0) > Date.now()) continue;
              await handleApart(key, () => verifyPeerApart(key, target, peer), target);
            }
          }
        }
        failures = 0;
      } catch (error) {
        failures++;
        const retryable = !(error instanceof EvaluatorError) || error.retryable;
        log('watch.error', { message: (error as Error).message, retryable, failures });
        if (!retryable) throw error;
      }
      await wake.wait(
        failures ? Math.min(30_000, interval * 2 ** failures) : interval,
        options.signal,
      );
    }
  } finally {
    unsubscribe();
    await evaluations.dispose();
  }
  log('watch.stopped');

  /** One target's retryable failure delays that target alone; the others go on. */
  async function handleApart(
    key: string,
    work: () => Promise<void>,
    target: Target,
  ): Promise<void> {
    try {
      await work();
      retries.delete(key);
    } catch (error) {
      if (!(error instanceof EvaluatorError && error.retryable)) throw error;
      const failures = (retries.get(key)?.failures ?? 0) + 1;
      const retryInMs = Math.min(300_000, interval * 2 ** failures);
      retries.set(key, { failures, at: Date.now() + retryInMs });
      log('watch.error', {
        model: `${target.family} ${target.version}`,
        message: error.message,
        retryable: true,
        failures,
        retryInMs,
      });
    }
  }

  async function handle(target: Target): Promise<void> {
    const key = `${target.modelId}:${target.suiteId}`;
    const name = `${target.family} ${target.version}`;
    const suite = suites.get(target.suiteId);
    if (!suite || state.refused[`${key}:${target.uri}`]) return;
    // The indexer may lag the chain: the chain has the last word on what is posted.
    const before = await onChain(connection, target, evaluator!);
    if (before === 'posted') {
      if (!seenOnChain.has(key)) log('watch.on_chain', { model: name, suite: suite.suite.name });
      seenOnChain.add(key);
    }
    // 'model not registered': a reorg the indexer has yet to follow; it will drop the model.
    if (before !== 'missing') return;
    const report = await reportFor(target, suite, name);
    if (!report) return;
    // Asked again right before posting: an evaluation takes a while, and a reorg may have come meanwhile.
    const now = await onChain(connection, target, evaluator!);
    if (now !== 'missing') {
      log('watch.not_posted', { model: name, suite: suite.suite.name, why: now });
      return;
    }
    const outcome = await submitResult(connection, report, uriOf(report.digest));
    log('watch.submitted', {
      model: name,
      suite: suite.suite.name,
      status: outcome.status,
      resultId: outcome.resultId,
      metrics: Object.fromEntries(report.metrics.map((m) => [m.id, formatMetric(m.value)])),
    });
  }

  /** The live results of other evaluators for a target's model and suite, as the indexer lists them. */
  async function peerResults(target: Target) {
    const found = [];
    for await (const result of pages((cursor) =>
      indexer.results.list({ model: target.modelId, suite: target.suiteId, limit: 200, cursor }),
    )) {
      if (!result.superseded && result.evaluator.toLowerCase() !== evaluator!.toLowerCase())
        found.push(result);
    }
    return found;
  }

  /** A peer's result that cannot be verified (a suite or model that is not what it claims) is logged. */
  async function verifyPeerApart(key: string, target: Target, peer: PeerResult): Promise<void> {
    try {
      await verifyPeer(key, target, peer);
    } catch (error) {
      if (!(error instanceof EvaluatorError) || error.retryable) throw error;
      peers[key] = { ...peers[key], done: 'failed' };
      await save();
      log('watch.peer_error', {
        model: `${target.family} ${target.version}`,
        evaluator: peer.evaluator,
        reportDigest: peer.reportDigest,
        message: error.message,
      });
    }
  }

  /**
   * Peer verification of one result version: its report fetched from its URI and checked against the
   * chain's digest and root, re-run with `verify` (replaying the report's settings), and, inside the
   * challenge window, disputed when it does not reproduce beyond the declared precision, naming the first
   * sample that differs. The chain says whether this watcher already disputes it, right before sending.
   */
  async function verifyPeer(key: string, target: Target, peer: PeerResult): Promise<void> {
    const entry = (peers[key] ??= {});
    const fields = {
      model: `${target.family} ${target.version}`,
      suite: suites.get(target.suiteId)?.suite.name,
      evaluator: peer.evaluator,
      reportDigest: peer.reportDigest,
    };
    const finish = async (done: string, event: string, more: Record<string, unknown> = {}) => {
      entry.done = done;
      await save();
      log(event, { ...fields, ...more });
    };
    const suite = suites.get(target.suiteId);
    if (!suite) return;
    const result = await chainResult(
      connection,
      target.modelId,
      target.suiteId,
      peer.evaluator as Address,
      peer.uri,
    );
    // The indexer may lag the chain: only the version the chain holds now is verified.
    if (result.reportDigest !== peer.reportDigest) return;
    const obstacle = await disputeObstacle(connection, result);
    if (obstacle?.reason === 'window-closed')
      return finish('window closed', 'watch.peer_window_closed', {
        closedAt: isoTime(result.countsFrom),
        verdict: entry.verdict ?? 'not verified',
        disputeId: entry.disputeId,
      });
    if (obstacle?.dispute) {
      // Already disputed on this chain: watched until the window closes, in case a reorg removes it.
      const disputeId = String(obstacle.dispute.disputeId);
      if (entry.disputeId !== disputeId) {
        entry.disputeId = disputeId;
        await save();
      }
      if (!seenOnChain.has(key))
        log('watch.peer_disputed_on_chain', {
          ...fields,
          disputeId,
          status: obstacle.dispute.status,
        });
      seenOnChain.add(key);
      return;
    }
    if (obstacle) return finish(obstacle.reason, 'watch.peer_skipped', { why: obstacle.why });
    // A dispute sent before a restart and not on the chain: still pending, or dropped, reverted or reorged
    // out (then it may be sent again). Never a second one while the first may still land.
    if (entry.txHash && (await stillPending(entry.txHash))) return;
    entry.txHash = undefined;

    let report: Report;
    try {
      report = await fetchReport(result.uri);
      checkAgainstChain(report, result);
    } catch (error) {
      if (error instanceof EvaluatorError && !error.retryable)
        return finish('report refused', 'watch.peer_report_refused', { why: error.message });
      throw error;
    }
    if (!entry.verdict) {
      const modelDir = await fetchModel(
        target.uri,
        target.modelId,
        join(options.stateDir, 'models'),
      );
      log('watch.peer_verifying', fields);
      const verify = (device?: 'auto' | 'cpu' | 'cuda' | 'webgpu') =>
        verifyReport(report, { modelDir, suite: suite.path, device });
      const verified = await verify().catch((error: unknown) => {
        if (!(error instanceof NotReplayableError)) throw error;
        log('watch.peer_not_replayable', { ...fields, why: error.message });
        return verify(options.runner?.device ?? 'auto');
      });
      entry.verdict = verified.verdict;
      if (!verified.reproduces) {
        entry.sample = firstDisputableSample(verified.samples)?.id;
        entry.report = verified.rerun.digest;
        await writeReport(verified.rerun, reportPath(verified.rerun.digest));
      }
      await save();
      log('watch.peer_verified', {
        ...fields,
        verdict: verified.verdict,
        sample: entry.sample,
        differing: verified.samples.filter((d) => !d.withinPrecision).length,
      });
    }
    if (entry.verdict !== 'mismatch') return finish('reproduces', 'watch.peer_reproduces');
    if (!entry.sample || !entry.report)
      return finish('no disputable sample', 'watch.peer_not_disputed', {
        why: 'no sample differs in prediction or score with an outcome on both sides',
      });
    const own = await readReport(reportPath(entry.report));
    const claim = own.samples.find((s) => s.id === entry.sample)!;
    try {
      const sent = await disputeResult(connection, {
        result,
        report,
        sampleId: entry.sample,
        claim,
        own: { reportDigest: own.digest, uri: uriOf(entry.report) },
        onSent: async (txHash) => {
          entry.txHash = txHash;
          await save();
        },
      });
      entry.disputeId = String(sent.disputeId);
      entry.txHash = sent.txHash;
      await save();
      log('watch.disputed', {
        ...fields,
        disputeId: entry.disputeId,
        sample: entry.sample,
        committed: sent.committed,
        claimed: { prediction: claim.prediction, score: claim.score },
        txHash: sent.txHash,
      });
    } catch (error) {
      // Refused before sending (the window closed meanwhile...) or reverted: the next look decides.
      if (!(error instanceof DisputeRefusedError || error instanceof TransactionRevertedError))
        throw error;
      log('watch.not_disputed', { ...fields, why: error.message });
    }
  }

  /**
   * Whether a transaction sent earlier is in the pool, or mined, successful and on the canonical chain (its
   * event yet to be read). A node may still return a transaction mined on a branch a reorg replaced.
   */
  async function stillPending(hash: Hex): Promise<boolean> {
    const tx = await connection.public.getTransaction({ hash }).catch(() => undefined);
    if (!tx) return false;
    if (tx.blockNumber === null) return true;
    const receipt = await connection.public.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt?.status !== 'success') return false;
    const block = await connection.public
      .getBlock({ blockNumber: receipt.blockNumber })
      .catch(() => undefined);
    return block?.hash === receipt.blockHash;
  }

  function reportPath(digest: Hex): string {
    return join(options.stateDir, 'reports', `${digest}.json`);
  }

  function uriOf(digest: Hex): string {
    return (
      options.reportUri?.(reportPath(digest), digest) ?? pathToFileURL(reportPath(digest)).href
    );
  }

  /** The report for a target: the one written before, else a new evaluation; undefined when refused. */
  async function reportFor(
    target: Target,
    suite: LoadedSuite,
    name: string,
  ): Promise<Report | undefined> {
    const key = `${target.modelId}:${target.suiteId}`;
    const written = state.reports[key];
    if (written) {
      const report = await readReport(join(options.stateDir, 'reports', `${written}.json`)).catch(
        () => undefined,
      );
      if (report) return report;
    }
    let dir: string;
    try {
      dir = await fetchModel(target.uri, target.modelId, join(options.stateDir, 'models'));
    } catch (error) {
      if (error instanceof EvaluatorError && error.retryable) throw error;
      log('watch.rejected', { model: name, why: (error as Error).message });
      state.refused[`${key}:${target.uri}`] = (error as Error).message;
      await save();
      return undefined;
    }
    log('watch.evaluating', { model: name, suite: suite.suite.name });
    // fetchModel checked that the directory's digest is the registered one: the model's id.
    const report = await evaluations.evaluate({
      suite,
      modelDir: dir,
      modelDigest: target.modelId,
      batchSize: options.batchSize ?? 32,
    });
    await writeReport(report, join(options.stateDir, 'reports', `${report.digest}.json`));
    state.reports[key] = report.digest;
    await save();
    return report;
  }
}

/**
 * The chain's answer for a target now: nothing posted yet, already posted, or no such model (a reorg).
 * Read at the pending block, so a result this evaluator sent just before a restart counts as posted.
 */
async function onChain(
  connection: CharterConnection,
  target: Target,
  evaluator: Address,
): Promise<'missing' | 'posted' | 'model not registered'> {
  const { modelRegistry, evidenceRegistry } = connection.deployment.contracts;
  const [status, [live]] = await Promise.all([
    connection.public.readContract({
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'statusOf',
      args: [target.modelId],
      blockTag: 'pending',
    }),
    connection.public.readContract({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'result',
      args: [target.modelId, target.suiteId, evaluator],
      blockTag: 'pending',
    }),
  ]);
  if (live.status !== 0) return 'posted';
  return status === 0 ? 'model not registered' : 'missing';
}

/** The indexer must follow this very deployment, or its candidates are another chain's. */
async function checkIndexer(indexer: IndexerClient, connection: CharterConnection) {
  const { chainId, addresses } = await indexer.governance();
  const { deployment } = connection;
  if (
    chainId !== deployment.chainId ||
    addresses.evidenceRegistry.toLowerCase() !== deployment.contracts.evidenceRegistry.toLowerCase()
  ) {
    throw new IndexerMismatchError(
      `the indexer follows evidence registry ${addresses.evidenceRegistry} on chain ${chainId}, not this deployment's ${deployment.contracts.evidenceRegistry} on chain ${deployment.chainId}`,
      { indexer: addresses, deployment: deployment.contracts },
    );
  }
  return true;
}

/** (model, suite) pairs for which the indexer has a current result of this evaluator. */
async function postedByMe(indexer: IndexerClient, evaluator: Address): Promise<Set<string>> {
  const posted = new Set<string>();
  for await (const result of pages((cursor) =>
    indexer.results.list({ evaluator: evaluator.toLowerCase(), limit: 200, cursor }),
  )) {
    if (!result.superseded) posted.add(`${result.modelId}:${result.suiteId}`);
  }
  return posted;
}

/**
 * Finds what to evaluate: candidates, and models that live approval proposals name, times the suites of
 * every policy's active version. A proposal's actions never change, so they are decoded once.
 */
function targetFinder(connection: CharterConnection, indexer: IndexerClient) {
  const approvedBy = new Map<string, Hex[]>();
  const modelRegistry = connection.deployment.contracts.modelRegistry.toLowerCase();
  return async (): Promise<Target[]> => {
    const models = new Map<Hex, Omit<Target, 'suiteId'>>();
    const add = (m: { id: string; family: string; version: string; uri: string }) =>
      models.set(m.id as Hex, {
        modelId: m.id as Hex,
        family: m.family,
        version: m.version,
        uri: m.uri,
      });
    const candidates = [];
    for await (const model of pages((cursor) =>
      indexer.models.list({ status: ModelStatus.candidate, limit: 200, cursor }),
    ))
      candidates.push(model);
    // The API lists the newest first; the watcher works in the order they were registered.
    for (const model of candidates.reverse()) add(model);
    for await (const proposal of pages((cursor) =>
      indexer.proposals.list({
        kind: APPROVALS,
        state: LIVE_PROPOSAL_STATES,
        limit: 200,
        cursor,
      }),
    )) {
      let ids = approvedBy.get(proposal.id);
      if (!ids) {
        const { actions } = await indexer.proposals.get(proposal.id);
        ids = actions.flatMap((a) => approvedModel(a.target, a.calldata, modelRegistry));
        approvedBy.set(proposal.id, ids);
      }
      for (const id of ids.filter((id) => !models.has(id))) {
        const model = await indexer.models.get(id).catch(() => undefined);
        if (model) add(model);
      }
    }
    const suiteIds = new Set<Hex>();
    for (const { id, currentVersion } of await indexer.policies.list()) {
      if (!currentVersion) continue;
      const policy = await indexer.policies.get(id);
      const active = policy.versions.find((v) => v.version === currentVersion);
      for (const rule of active?.rules ?? []) suiteIds.add(rule.suiteId as Hex);
    }
    return [...models.values()].flatMap((model) =>
      [...suiteIds].map((suiteId) => ({ ...model, suiteId })),
    );
  };
}

function approvedModel(target: string, calldata: string, modelRegistry: string): Hex[] {
  if (target.toLowerCase() !== modelRegistry) return [];
  try {
    const call = decodeFunctionData({ abi: modelRegistryAbi, data: calldata as Hex });
    return call.functionName === 'approve' ? [call.args[0]] : [];
  } catch {
    return [];
  }
}

async function* pages<T>(
  get: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await get(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * Wakes the loop early when the indexer announces a change. Each wait removes its own listeners, so a
 * long-lived abort signal does not gather one per iteration.
 */
class Wakeup {
  private rung = false;
  private resolve?: () => void;

  ring(): void {
    this.rung = true;
    this.resolve?.();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.rung || signal?.aborted) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.resolve = undefined;
        this.rung = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }
}

async function loadState(path: string): Promise<WatchState> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as WatchState;
    if (state.format === 'charter-watch/2') return state;
  } catch {
    // none yet, or unreadable: the state is a cache, and the chain says what is posted
  }
  return { format: 'charter-watch/2', reports: {}, refused: {} };
}

/** Written to a temporary file and renamed: a crash leaves the old state or the new, never half. */
async function saveState(path: string, state: WatchState): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${path}.tmp`, path);
}
