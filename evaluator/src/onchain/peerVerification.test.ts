// Watch mode's peer verification against a real chain (anvil), a real indexer (in-process, PGlite) and real
// inference: another evaluator's result that does not reproduce is disputed once, naming its first altered
// sample with a proof the contract accepts, across a restart, a lost state directory and a reorg; an honest
// result is verified and left alone; a lie found after its window closed is logged, not disputed.
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  evidenceRegistryAbi,
  modelRegistryAbi,
  type Anvil,
  type DevChain,
} from '@charter/contracts';
import type { Indexer } from '@charter/indexer';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { modelDigest } from '../models/modelDigest.js';
import { writeReport } from '../reports/writeReport.js';
import { evaluateModel } from '../run/evaluateModel.js';
import { loadSuite } from '../suites/loadSuite.js';
import { alteredReport } from '../testing/alteredReport.js';
import { startWatcherChain, startWatcherIndexer, watcherKeys } from '../testing/watcherChain.js';
import { connectCharter } from './connect.js';
import { submitResult } from './submitResult.js';
import { watch } from './watch.js';

const MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
const { alice, evaluator: watcherKey, liar: liarKey } = watcherKeys;
const watcherAddress = privateKeyToAccount(watcherKey).address;

let anvil: Anvil;
let chain: DevChain;
let indexer: Indexer;
let reportsDir: string;
beforeAll(async () => {
  ({ anvil, chain } = await startWatcherChain());
  indexer = await startWatcherIndexer(anvil, chain);
  reportsDir = await mkdtemp(join(tmpdir(), 'liar-reports-'));
}, 120_000);
afterAll(async () => {
  await indexer?.stop();
  await anvil?.stop();
});

const until = async (
  what: string,
  holds: () => Promise<boolean> | boolean,
  ms = 120_000,
  meanwhile?: () => unknown,
) => {
  const deadline = Date.now() + ms;
  while (!(await holds())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${meanwhile ? `; meanwhile: ${JSON.stringify(meanwhile())}` : ''}`,
      );
    await new Promise((ok) => setTimeout(ok, 100));
  }
};
const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

const disputesOf = async (resultId: Hex) =>
  (
    await chain.public.getContractEvents({
      address: chain.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      eventName: 'ResultDisputed',
      args: { resultId },
      fromBlock: 0n,
    })
  ).map((e) => e.args);

let artifacts = 0;
/** A registered candidate: a copy of a bundled model with trailing spaces added to its config. */
async function registerArtifact(model: string, version: string) {
  const dir = await mkdtemp(join(tmpdir(), 'artifact-'));
  await cp(join(MODELS, model), dir, { recursive: true });
  await appendFile(join(dir, 'config.json'), ' '.repeat(++artifacts));
  const digest = await modelDigest(dir);
  await chain.confirm(
    chain.wallet(alice).writeContract({
      address: chain.deployment.contracts.modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: ['mail-guard', version, digest, pathToFileURL(dir).href, `0x${'0'.repeat(64)}`],
    }),
  );
  return { dir, digest };
}

/** The liar's result for a model: its honest report, or one with outcomes altered. */
async function postAsLiar(modelDir: string, lie: boolean) {
  const honest = await evaluateModel({ suite: await loadSuite('over-blocking'), modelDir });
  const { report, altered } = lie ? alteredReport(honest) : { report: honest, altered: [] };
  const path = join(reportsDir, `${report.digest}.json`);
  await writeReport(report, path);
  const liar = connectCharter({
    rpcUrl: anvil.rpcUrl,
    deployment: chain.deployment,
    privateKey: liarKey,
  });
  const { resultId } = await submitResult(liar, report, pathToFileURL(path).href);
  return { resultId, report, honest, altered };
}

function startWatcher(stateDir: string) {
  const controller = new AbortController();
  const events: { event: string; fields?: Record<string, unknown> }[] = [];
  const running = watch(
    connectCharter({ rpcUrl: anvil.rpcUrl, deployment: chain.deployment, privateKey: watcherKey }),
    {
      indexer: indexer.url,
      stateDir,
      pollIntervalMs: 200,
      signal: controller.signal,
      log: (event, fields) => events.push({ event, fields }),
    },
  );
  return {
    events,
    count: (event: string) => events.filter((e) => e.event === event).length,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

describe('watch: peer verification', () => {
  it("disputes a liar's result exactly once across restarts, and never an honest one", async () => {
    const lying = await registerArtifact('mail-guard-v1', 'v1-lie');
    const honestModel = await registerArtifact('mail-guard-v2', 'v2-honest');
    const lie = await postAsLiar(lying.dir, true);
    const truth = await postAsLiar(honestModel.dir, false);

    const stateDir = await mkdtemp(join(tmpdir(), 'watch-'));
    const first = startWatcher(stateDir);
    try {
      await until('the dispute', async () => (await disputesOf(lie.resultId)).length > 0, 240_000);
      await until('the honest result verified', () => first.count('watch.peer_reproduces') > 0);
    } finally {
      await first.stop();
    }
    const [dispute] = await disputesOf(lie.resultId);
    const sample = lie.altered[0]!;
    const rerun = lie.honest.samples.find((s) => s.id === sample)!;
    expect(dispute).toMatchObject({
      disputer: watcherAddress,
      reportDigest: lie.report.digest,
      committed: { id: sample },
      claim: { prediction: BigInt(rerun.prediction), score: BigInt(rerun.score) },
    });
    // The claim names the watcher's own report of the re-run, written where its reports are kept.
    expect(dispute?.claim?.uri).toBe(
      pathToFileURL(join(stateDir, 'reports', `${dispute?.claim?.reportDigest}.json`)).href,
    );
    expect(first.events.find((e) => e.event === 'watch.peer_reproduces')?.fields).toMatchObject({
      reportDigest: truth.report.digest,
    });
    expect(await disputesOf(truth.resultId)).toEqual([]);

    // Restarted on the same state: the verdicts are kept, the dispute is the chain's; nothing re-run or sent.
    const second = startWatcher(stateDir);
    await until('a look at the dispute', () => second.count('watch.peer_disputed_on_chain') > 0);
    await pause(1_500);
    await second.stop();
    expect(second.count('watch.peer_verifying')).toBe(0);
    expect(second.count('watch.disputed')).toBe(0);

    // Restarted with its state lost: it verifies again, finds its own dispute on the chain, sends nothing.
    await rm(stateDir, { recursive: true });
    const nonce = await chain.public.getTransactionCount({ address: watcherAddress });
    const third = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    await until('a look at the dispute', () => third.count('watch.peer_disputed_on_chain') > 0);
    await pause(1_500);
    await third.stop();
    expect(await chain.public.getTransactionCount({ address: watcherAddress })).toBe(nonce);
    expect(await disputesOf(lie.resultId)).toHaveLength(1);
    expect(await disputesOf(truth.resultId)).toEqual([]);
  }, 400_000);

  it('disputes again, once, on the chain that survives a reorg that removed its dispute', async () => {
    const artifact = await registerArtifact('mail-guard-v1', 'v1-reorg');
    const lie = await postAsLiar(artifact.dir, true);
    const snapshot = await chain.test.snapshot();
    const watcher = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    try {
      // Its receipt read (a reorg while it waits for one leaves it waiting until the wait times out).
      await until('the dispute', () =>
        watcher.events.some(
          (e) => e.event === 'watch.disputed' && e.fields?.reportDigest === lie.report.digest,
        ),
      );
      expect(await disputesOf(lie.resultId)).toHaveLength(1);
      // The branch with the dispute (and the watcher's own result) is replaced by one without them.
      await chain.test.revert({ id: snapshot });
      await chain.test.mine({ blocks: 3 });
      expect(await disputesOf(lie.resultId)).toEqual([]);
      await until('the dispute again', async () => (await disputesOf(lie.resultId)).length > 0);
      await pause(2_000);
    } finally {
      await watcher.stop();
    }
    expect(await disputesOf(lie.resultId)).toHaveLength(1);
    const ofLie = (event: string) =>
      watcher.events.filter(
        (e) => e.event === event && e.fields?.reportDigest === lie.report.digest,
      ).length;
    expect(ofLie('watch.disputed')).toBe(2);
    // The verdict was kept: the liar's report was re-run once.
    expect(ofLie('watch.peer_verifying')).toBe(1);
  }, 240_000);

  it('logs a lie found after its challenge window closed, and does not dispute it', async () => {
    const late = await registerArtifact('mail-guard-v1', 'v1-late');
    const lie = await postAsLiar(late.dir, true);
    await chain.passChallengeWindow();
    const watcher = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    try {
      await until(
        'the log',
        () =>
          watcher.events.some(
            (e) =>
              e.event === 'watch.peer_window_closed' &&
              e.fields?.reportDigest === lie.report.digest,
          ),
        120_000,
        // Seen to time out once in CI and never here: what the watcher did instead, for the next look.
        () => watcher.events.map((e) => e.event),
      );
    } finally {
      await watcher.stop();
    }
    expect(await disputesOf(lie.resultId)).toEqual([]);
  }, 240_000);
});
