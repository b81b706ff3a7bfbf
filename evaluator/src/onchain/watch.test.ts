// Watch mode against a real chain (anvil) and a real indexer (in-process, PGlite): a candidate is evaluated
// and its result posted with nobody intervening, exactly once, across a killed process, a lost state
// directory and a reorg.
import { spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evidenceRegistryAbi,
  modelRegistryAbi,
  writeDeployment,
  type Anvil,
  type DevChain,
} from '@charter/contracts';
import type { Indexer } from '@charter/indexer';
import { createIndexerClient } from '@charter/indexer/client';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { modelDigest } from '../models/modelDigest.js';
import { startWatcherChain, startWatcherIndexer, watcherKeys } from '../testing/watcherChain.js';
import { connectCharter } from './connect.js';
import { watch, type WatchOptions } from './watch.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODELS = join(ROOT, 'models');
const { alice, evaluator: evaluatorKey } = watcherKeys;
const evaluatorAddress = privateKeyToAccount(evaluatorKey).address;

let anvil: Anvil;
let chain: DevChain;
let indexer: Indexer;
let deploymentFile: string;
beforeAll(async () => {
  ({ anvil, chain } = await startWatcherChain());
  deploymentFile = writeDeployment(chain.deployment, await mkdtemp(join(tmpdir(), 'deployment-')));
  indexer = await startWatcherIndexer(anvil, chain);
}, 120_000);
afterAll(async () => {
  await indexer?.stop();
  await anvil?.stop();
});

const until = async (what: string, holds: () => Promise<boolean> | boolean, ms = 90_000) => {
  const deadline = Date.now() + ms;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
};
const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** The results posted on the chain as it is now (a reorged-out one is not among them). */
const postedFor = async (modelId: Hex) =>
  (
    await chain.public.getContractEvents({
      address: chain.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      eventName: 'ResultSubmitted',
      args: { modelId },
      fromBlock: 0n,
    })
  ).length;

/** The indexer has followed the chain to its head (and through any reorg on the way). */
const indexerAtHead = async () => {
  const head = await chain.public.getBlock();
  return (
    indexer.status.indexedBlock === Number(head.number) && indexer.status.indexedHash === head.hash
  );
};

const register = (version: string, digest: Hex, dir: string) =>
  chain.confirm(
    chain.wallet(alice).writeContract({
      address: chain.deployment.contracts.modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: ['mail-guard', version, digest, `file://${dir}`, `0x${'0'.repeat(64)}`],
    }),
  );

/** A new artifact: a copy of a bundled model with one byte of its config changed. */
async function newArtifact(model: string): Promise<{ dir: string; digest: Hex }> {
  const dir = await mkdtemp(join(tmpdir(), 'artifact-'));
  await cp(join(MODELS, model), dir, { recursive: true });
  await appendFile(join(dir, 'config.json'), ' ');
  return { dir, digest: await modelDigest(dir) };
}

/** A watcher in this process, with the events it logged; `stop()` ends it. */
function startWatcher(stateDir: string, options: Partial<WatchOptions> = {}) {
  const controller = new AbortController();
  const events: { event: string; fields?: Record<string, unknown> }[] = [];
  const running = watch(
    connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: evaluatorKey,
    }),
    {
      indexer: indexer.url,
      stateDir,
      pollIntervalMs: 200,
      signal: controller.signal,
      log: (event, fields) => events.push({ event, fields }),
      ...options,
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

/** `charter-eval watch` as its own process, as npm start runs it; its stderr is one JSON event a line. */
function startWatchProcess(stateDir: string) {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/charter-eval.js'),
      'watch',
      '--rpc-url',
      anvil.rpcUrl,
      '--deployment',
      deploymentFile,
      '--indexer-url',
      indexer.url,
      '--private-key',
      evaluatorKey,
      '--state-dir',
      stateDir,
      '--poll-ms',
      '200',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const events: string[] = [];
  const lines: string[] = [];
  let buffer = '';
  child.stderr.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      lines.push(line);
      try {
        events.push((JSON.parse(line) as { event: string }).event);
      } catch {
        // not an event: kept in `lines` for the failure message
      }
    }
  });
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, events, lines, exited };
}

describe('watch', () => {
  it('posts each result once across a killed process and a lost state directory', async () => {
    const [v1, v2] = [join(MODELS, 'mail-guard-v1'), join(MODELS, 'mail-guard-v2')];
    const digests = [await modelDigest(v1), await modelDigest(v2)] as const;
    await register('v1', digests[0], v1);
    await register('v2', digests[1], v2);
    const stateDir = await mkdtemp(join(tmpdir(), 'watch-'));

    // Killed outright in the middle of evaluating the second model, the first one's result posted.
    const first = startWatchProcess(stateDir);
    const midway = () => {
      const posted = first.events.indexOf('watch.submitted');
      return posted >= 0 && first.events.lastIndexOf('watch.evaluating') > posted;
    };
    await until('the second evaluation', midway, 120_000).catch((error: Error) => {
      first.child.kill('SIGKILL');
      throw new Error(`${error.message}\n${first.lines.join('\n')}`);
    });
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await postedFor(digests[0])) + (await postedFor(digests[1]))).toBe(1);

    // Restarted on the same state directory: it posts what is left, and only that.
    const second = startWatchProcess(stateDir);
    await until('both results', async () => {
      const counts = await Promise.all(digests.map(postedFor));
      return counts.every((n) => n >= 1);
    });
    await until('the indexer', indexerAtHead);
    await pause(1_500); // some more looks at the chain
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.events).toContain('watch.stopped');

    // Restarted with its state lost: the indexer and the chain say what is posted; nothing is sent.
    await rm(stateDir, { recursive: true });
    const third = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    await pause(2_000);
    await third.stop();
    expect(third.count('watch.evaluating')).toBe(0);
    expect(third.count('watch.submitted')).toBe(0);

    expect(await Promise.all(digests.map(postedFor))).toEqual([1, 1]);
    // Not one transaction more than the two results: no duplicate was even attempted.
    expect(await chain.public.getTransactionCount({ address: evaluatorAddress })).toBe(2);
  }, 300_000);

  it('posts once on the chain that survives a reorg, and never for a model the reorg removed', async () => {
    const artifact = await newArtifact('mail-guard-v2');
    const watcher = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    try {
      const snapshot = await chain.test.snapshot();
      await register('v3', artifact.digest, artifact.dir);
      await until(
        'the result on the first branch',
        async () => (await postedFor(artifact.digest)) === 1,
      );
      await until('the indexer to see it', async () => {
        const { items } = await createIndexerClient(indexer.url).results.list({
          model: artifact.digest,
        });
        return items.length === 1;
      });

      // The branch with the registration and the result is replaced by one without either.
      await chain.test.revert({ id: snapshot });
      await chain.test.mine({ blocks: 3 });
      await until('the indexer to follow the reorg', indexerAtHead);
      await pause(1_500);
      expect(await postedFor(artifact.digest)).toBe(0);

      // On the surviving chain the model is registered again: posted once more, and only once.
      await register('v3', artifact.digest, artifact.dir);
      await until(
        'the result on the surviving chain',
        async () => (await postedFor(artifact.digest)) === 1,
      );
      await until('the indexer', indexerAtHead);
      await pause(1_500);
      expect(await postedFor(artifact.digest)).toBe(1);
      const submitted = watcher.events.filter((e) => e.event === 'watch.submitted');
      expect(submitted.map((e) => e.fields?.status)).toEqual(['submitted', 'submitted']);
      // The report written on the first branch was posted again, not re-evaluated.
      expect(watcher.count('watch.evaluating')).toBe(1);
    } finally {
      await watcher.stop();
    }
  }, 180_000);

  it('refuses a registered model whose artifact does not match its digest', async () => {
    await register('v9', `0x${'42'.repeat(32)}`, join(MODELS, 'mail-guard-v1'));
    const watcher = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    await until('the refusal', () => watcher.count('watch.rejected') > 0).finally(() =>
      watcher.stop(),
    );
    expect(await postedFor(`0x${'42'.repeat(32)}`)).toBe(0);
  }, 120_000);

  it('goes on with other models while one cannot be fetched, and retries that one alone', async () => {
    const unreachable = `0x${'17'.repeat(32)}` as Hex;
    await chain.confirm(
      chain.wallet(alice).writeContract({
        address: chain.deployment.contracts.modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: [
          'mail-guard',
          'v10',
          unreachable,
          'http://127.0.0.1:9/mail-guard',
          `0x${'0'.repeat(64)}`,
        ],
      }),
    );
    const artifact = await newArtifact('mail-guard-v1');
    await register('v11', artifact.digest, artifact.dir);
    const watcher = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')));
    try {
      await until('the reachable model', async () => (await postedFor(artifact.digest)) === 1);
      const errors = watcher.events.filter((e) => e.event === 'watch.error');
      expect(errors[0]?.fields).toMatchObject({ model: 'mail-guard v10', retryable: true });
      expect(errors[0]?.fields?.message).toMatch(/cannot fetch http:\/\/127\.0\.0\.1:9/);
    } finally {
      await watcher.stop();
    }
    expect(await postedFor(unreachable)).toBe(0);
  }, 120_000);

  it('adds no listener per iteration to its abort signal (MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    let looks = 0;
    const client = createIndexerClient(indexer.url, {
      fetch: (input, init) => {
        if (String(input).endsWith('/ready')) looks++;
        return fetch(input, init);
      },
    });
    const watcher = startWatcher(await mkdtemp(join(tmpdir(), 'watch-')), {
      indexer: client,
      pollIntervalMs: 1,
    });
    try {
      await until('many looks', () => looks >= 30, 60_000);
    } finally {
      await watcher.stop();
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).toEqual([]);
  }, 90_000);
});
