// A chain for watch-mode tests: Charter on anvil with two voting holders, the over-blocking suite, two
// admitted evaluators (the watcher's, and another whose results it verifies), and a policy on that small
// suite (so evaluations stay short) set through governance.
import {
  action,
  anvilPrivateKey,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  policyRegistryAbi,
  startAnvil,
  type Anvil,
} from '@charter/contracts';
import { parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import { startIndexer, type Indexer } from '@charter/indexer';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { suiteRegistration } from '../onchain/evidence.js';
import { loadSuite } from '../suites/loadSuite.js';

const [deployer, alice, bob, evaluator, liar] = [0, 1, 2, 6, 7].map(anvilPrivateKey) as [
  Hex,
  Hex,
  Hex,
  Hex,
  Hex,
];
/**
 * The accounts: alice and bob hold the votes (alice also registers models); `evaluator` (the watcher's)
 * and `liar` (whose results the tests make up) are admitted evaluators.
 */
export const watcherKeys = { deployer, alice, bob, evaluator, liar };

export async function startWatcherChain(): Promise<{ anvil: Anvil; chain: DevChain }> {
  const anvil = await startAnvil();
  const chain = new DevChain(
    anvil.rpcUrl,
    await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: deployer }),
  );
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));
  const { evidenceRegistry, policyRegistry } = chain.deployment.contracts;
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
        privateKeyToAccount(evaluator).address,
        'watcher',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        privateKeyToAccount(liar).address,
        'liar',
      ]),
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        shortNameToBytes32('no-over-blocking'),
        [
          {
            suiteId: suite.suiteId,
            metricId: shortNameToBytes32('false_positive_rate'),
            comparator: 1,
            threshold: parseWad('0.15'),
          },
        ],
        1,
        86_400,
        '',
      ]),
    ],
    'Set up',
  );
  return { anvil, chain };
}

/** An indexer in this process (PGlite in memory, polling every 20 ms) following the watcher chain, ready. */
export async function startWatcherIndexer(anvil: Anvil, chain: DevChain): Promise<Indexer> {
  const indexer = await startIndexer({
    rpcUrl: anvil.rpcUrl,
    deployment: chain.deployment,
    dataDir: 'memory://',
    port: 0,
    pollingInterval: 20,
    logLevel: 'silent',
  });
  await indexer.ready();
  return indexer;
}
