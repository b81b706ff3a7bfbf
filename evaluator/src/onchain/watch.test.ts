// A model registered on anvil is evaluated and its results submitted with nobody intervening, exactly
// once, also across a restart of the watcher.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  action,
  anvilPrivateKey,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  startAnvil,
  type Anvil,
} from '@charter/contracts';
import { parseEther, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { modelDigest } from '../models/modelDigest.js';
import { loadSuite } from '../suites/loadSuite.js';
import { connectCharter } from './connect.js';
import { suiteRegistration } from './evidence.js';
import { metricId } from './metricId.js';
import { watch } from './watch.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const [deployer, alice, bob, evaluatorKey] = [0, 1, 2, 6].map(anvilPrivateKey) as [
  Hex,
  Hex,
  Hex,
  Hex,
];

let anvil: Anvil;
let chain: DevChain;
beforeAll(async () => {
  anvil = await startAnvil();
  chain = new DevChain(
    anvil.rpcUrl,
    await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: deployer }),
  );
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));
  const { evidenceRegistry, policyRegistry } = chain.deployment.contracts;
  // A policy on the small over-blocking suite keeps the evaluation short.
  const suite = suiteRegistration(await loadSuite('over-blocking'));
  await chain.govern(
    alice,
    [alice, bob],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suite.suiteId,
        suite.datasetDigest,
        suite.metricIds,
        'over-blocking',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        privateKeyToAccount(evaluatorKey).address,
        'watcher',
      ]),
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        stringToHex('no-over-blocking', { size: 32 }),
        [
          {
            suiteId: suite.suiteId,
            metricId: metricId('false_positive_rate'),
            comparator: 1,
            threshold: 15n * 10n ** 16n,
          },
        ],
        1,
        86_400,
        '',
      ]),
    ],
    'Set up',
  );
}, 120_000);
afterAll(() => anvil?.stop());

/** Runs a watcher until `until` holds (it sees the watcher's log events so far), then stops it. */
async function runWatcher(
  stateDir: string,
  until: (events: string[]) => Promise<boolean> | boolean,
) {
  const controller = new AbortController();
  const events: string[] = [];
  const running = watch(
    connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: evaluatorKey,
    }),
    {
      stateDir,
      pollIntervalMs: 200,
      signal: controller.signal,
      log: (event) => events.push(event),
    },
  );
  const deadline = Date.now() + 90_000;
  while (!(await until(events)) && Date.now() < deadline)
    await new Promise((ok) => setTimeout(ok, 200));
  controller.abort();
  await running;
  return events;
}

const submittedEvents = () =>
  chain.public.getContractEvents({
    address: chain.deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    eventName: 'ResultSubmitted',
    fromBlock: 0n,
  });

it('evaluates a newly registered model once, across a restart', async () => {
  const dir = join(MODELS, 'mail-guard-v2');
  const digest = await modelDigest(dir);
  await chain.confirm(
    chain.wallet(alice).writeContract({
      address: chain.deployment.contracts.modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: ['mail-guard', 'v2', digest, `file://${dir}`, `0x${'0'.repeat(64)}`],
    }),
  );

  const stateDir = await mkdtemp(join(tmpdir(), 'watch-'));
  const first = await runWatcher(stateDir, async () => (await submittedEvents()).length > 0);
  expect(first).toContain('watch.submitted');
  const after = await submittedEvents();
  expect(after).toHaveLength(1);
  expect(after[0]!.args.modelId).toBe(digest);

  // Restarted with the same state: it catches up and posts nothing again.
  let polls = 0;
  const second = await runWatcher(stateDir, () => ++polls > 10);
  expect(second).not.toContain('watch.submitted');
  // Restarted with its state lost: it re-evaluates, sees the result on-chain, and still posts nothing.
  const fresh = await mkdtemp(join(tmpdir(), 'watch-'));
  const third = await runWatcher(fresh, (events) => events.includes('watch.submitted'));
  expect(third).toContain('watch.submitted'); // it reports the result as already on-chain
  expect(await submittedEvents()).toHaveLength(1);
}, 180_000);

it('refuses a registered model whose artifact does not match its digest', async () => {
  await chain.confirm(
    chain.wallet(alice).writeContract({
      address: chain.deployment.contracts.modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: [
        'mail-guard',
        'v9',
        `0x${'42'.repeat(32)}`,
        `file://${join(MODELS, 'mail-guard-v1')}`,
        `0x${'0'.repeat(64)}`,
      ],
    }),
  );
  const before = (await submittedEvents()).length;
  const events = await runWatcher(await mkdtemp(join(tmpdir(), 'watch-')), (events) =>
    events.includes('watch.rejected'),
  );
  expect(events).toContain('watch.rejected');
  expect(await submittedEvents()).toHaveLength(before);
}, 120_000);
