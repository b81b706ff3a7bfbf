import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { charterGovernorAbi, modelRegistryAbi, policyRegistryAbi } from '@charter/contracts/abis';
import { decodeFunctionData, type Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import { writeReport } from '../reports/writeReport.js';
import { evaluateModel } from '../run/evaluateModel.js';
import type { TransformersRunnerOptions } from '../runners/createTransformersRunner.js';
import { listSuites } from '../suites/listSuites.js';
import type { LoadedSuite } from '../suites/types.js';
import type { CharterConnection } from './connect.js';
import { fetchModel } from './fetchModel.js';
import { submitResult } from './submitResult.js';

export interface WatchOptions {
  /** Keeps what was done between runs, the fetched models and the reports. */
  stateDir: string;
  /** Where to find the suites that policies name (default: the bundled suites). */
  suitesDir?: string;
  pollIntervalMs?: number;
  /** Blocks behind the head to wait before acting on an event. */
  confirmations?: number;
  /** Where a report can be fetched once written; default: its file:// path. */
  reportUri?: (path: string, digest: Hex) => string;
  runner?: TransformersRunnerOptions;
  batchSize?: number;
  signal?: AbortSignal;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

interface WatchState {
  /** Last block whose events were read. */
  block: number;
  /** Candidate models still relevant, by id, with their URI. */
  models: Record<Hex, { uri: string; family: string; version: string }>;
  /** Suites named by the active version of each policy. */
  policies: Record<Hex, Hex[]>;
  /** "<model>:<suite>" → report digest posted, or "rejected: <why>". */
  done: Record<string, string>;
}

/**
 * Follows the chain and evaluates automatically: each newly registered candidate, and each model that a
 * proposal would approve, is fetched and checked against its registered digest, the suites named by the
 * active policies are run, and the results submitted. State is saved after every step, and the chain
 * itself is asked before posting, so a restart or an RPC fault never posts twice.
 */
export async function watch(connection: CharterConnection, options: WatchOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const statePath = join(options.stateDir, 'watch-state.json');
  await mkdir(join(options.stateDir, 'reports'), { recursive: true });
  const state = await loadState(statePath, connection.deployment.deploymentBlock - 1);
  const suites = new Map((await listSuites(options.suitesDir)).map((s) => [s.id, s]));
  const save = () => saveState(statePath, state);
  log('watch.started', { evaluator: connection.account?.address, fromBlock: state.block + 1 });

  let failures = 0;
  while (!options.signal?.aborted) {
    try {
      await readNewEvents(connection, state, options.confirmations ?? 0);
      await save();
      for (const [modelId, model] of Object.entries(state.models) as [
        Hex,
        WatchState['models'][Hex],
      ][]) {
        for (const suiteId of new Set(Object.values(state.policies).flat())) {
          if (options.signal?.aborted) break;
          const key = `${modelId}:${suiteId}`;
          if (state.done[key]) continue;
          state.done[key] = await evaluateAndSubmit(connection, options, suites.get(suiteId), {
            modelId,
            suiteId,
            ...model,
          });
          await save();
        }
      }
      failures = 0;
    } catch (error) {
      failures++;
      const retryable = !(error instanceof EvaluatorError) || error.retryable;
      log('watch.error', { message: (error as Error).message, retryable, failures });
      if (!retryable) throw error;
    }
    const backoff = Math.min(30_000, (options.pollIntervalMs ?? 2_000) * 2 ** failures);
    await sleep(backoff, options.signal);
  }
  log('watch.stopped');

  async function evaluateAndSubmit(
    connection: CharterConnection,
    options: WatchOptions,
    suite: LoadedSuite | undefined,
    target: { modelId: Hex; suiteId: Hex; uri: string; family: string; version: string },
  ): Promise<string> {
    const name = `${target.family} ${target.version}`;
    if (!suite) {
      log('watch.skipped', {
        model: name,
        suiteId: target.suiteId,
        why: 'suite not available here',
      });
      return 'rejected: suite not available here';
    }
    let dir: string;
    try {
      dir = await fetchModel(target.uri, target.modelId, join(options.stateDir, 'models'));
    } catch (error) {
      if (error instanceof EvaluatorError && error.retryable) throw error;
      log('watch.rejected', { model: name, why: (error as Error).message });
      return `rejected: ${(error as Error).message}`;
    }
    log('watch.evaluating', { model: name, suite: suite.suite.name });
    const report = await evaluateModel({
      suite,
      modelDir: dir,
      batchSize: options.batchSize ?? 32,
      ...options.runner,
    });
    const path = join(options.stateDir, 'reports', `${report.digest}.json`);
    await writeReport(report, path);
    const uri = options.reportUri?.(path, report.digest) ?? pathToFileURL(path).href;
    const outcome = await submitResult(connection, report, uri);
    log('watch.submitted', {
      model: name,
      suite: suite.suite.name,
      status: outcome.status,
      metrics: Object.fromEntries(report.metrics.map((m) => [m.id, Number(m.value) / 1e18])),
    });
    return report.digest;
  }
}

/** Reads registrations, approval proposals and policy versions up to the confirmed head. */
async function readNewEvents(
  connection: CharterConnection,
  state: WatchState,
  confirmations: number,
) {
  const head = Number(await connection.public.getBlockNumber()) - confirmations;
  if (head <= state.block) return;
  const range = { fromBlock: BigInt(state.block + 1), toBlock: BigInt(head) };
  const { modelRegistry, policyRegistry, governor } = connection.deployment.contracts;
  const [registered, policies, proposals] = await Promise.all([
    connection.public.getContractEvents({
      address: modelRegistry,
      abi: modelRegistryAbi,
      eventName: 'ModelRegistered',
      ...range,
    }),
    connection.public.getContractEvents({
      address: policyRegistry,
      abi: policyRegistryAbi,
      eventName: 'PolicySet',
      ...range,
    }),
    connection.public.getContractEvents({
      address: governor,
      abi: charterGovernorAbi,
      eventName: 'ProposalCreated',
      ...range,
    }),
  ]);
  for (const { args } of registered) {
    state.models[args.modelId!] = { uri: args.uri!, family: args.family!, version: args.version! };
  }
  for (const { args } of policies)
    state.policies[args.policyId!] = args.rules!.map((r) => r.suiteId);
  // A proposal may approve a model registered before this watcher's history: look it up.
  const wanted = proposals.flatMap(({ args }) =>
    args.calldatas!.flatMap((calldata, i) => {
      if (args.targets![i]!.toLowerCase() !== modelRegistry.toLowerCase()) return [];
      try {
        const call = decodeFunctionData({ abi: modelRegistryAbi, data: calldata });
        return call.functionName === 'approve' ? [call.args[0]] : [];
      } catch {
        return [];
      }
    }),
  );
  for (const modelId of wanted.filter((id) => !state.models[id])) {
    const [event] = await connection.public.getContractEvents({
      address: modelRegistry,
      abi: modelRegistryAbi,
      eventName: 'ModelRegistered',
      args: { modelId },
      fromBlock: BigInt(connection.deployment.deploymentBlock),
    });
    if (event) {
      state.models[modelId] = {
        uri: event.args.uri!,
        family: event.args.family!,
        version: event.args.version!,
      };
    }
  }
  state.block = head;
}

async function loadState(path: string, startBlock: number): Promise<WatchState> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as WatchState;
  } catch {
    return { block: startBlock, models: {}, policies: {}, done: {} };
  }
}

/** Written to a temporary file and renamed: a crash leaves the old state or the new, never half. */
async function saveState(path: string, state: WatchState): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${path}.tmp`, path);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((ok) => {
    const timer = setTimeout(ok, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), ok()), { once: true });
  });
}
