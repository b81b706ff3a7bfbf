import {
  action,
  approvalAction,
  anvilPrivateKey,
  charterGovernorAbi,
  charterTokenAbi,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  proposalId,
  startAnvil,
  type Anvil,
  type Deployment,
} from '@charter/contracts';
import { samplesTree, shortNameToBytes32 } from '@charter/contracts/protocol';
import {
  encodeFunctionData,
  getAddress,
  keccak256,
  parseEther,
  toHex,
  type Address,
  type Hex,
} from 'viem';

import { testSamples } from '../src/testing/testChain';

export interface BenchChain {
  anvil: Anvil;
  deployment: Deployment;
  chain: DevChain;
  delegates: Address[];
  /** Proposals in creation order; the first gets a vote from every delegate. */
  proposals: bigint[];
  /** For each delegate, proposals it has not voted on yet (for the live measurement). */
  unvoted: Map<Address, bigint[]>;
  rpc: (method: string, params: unknown[]) => Promise<unknown>;
}

const delegateCount = 500;
const proposalCount = 50;
const metric = shortNameToBytes32;
const suiteId = keccak256(toHex('bench-suite'));
const policyId = shortNameToBytes32('mail-safety');
const familyCount = 4;
const family = (i: number) => `family-${i % familyCount}`;

/**
 * A realistic chain on anvil: 500 delegates (anvil's own unlocked accounts, so anvil signs), 50 proposals
 * of every kind, 20,100 votes, 20 model versions with 60 results and a few disputes. Transactions are
 * sent in JSON-RPC batches with automine off and mined in full blocks, as a busy chain would have them.
 */
export async function buildChain(log: (line: string) => void): Promise<BenchChain> {
  const anvil = await startAnvil({
    args: [
      '--accounts',
      String(delegateCount + 10),
      '--mnemonic',
      'test test test test test test test test test test test junk',
    ],
  });
  const deployer = anvilPrivateKey(0);
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer,
    config: {
      votingDelay: 60,
      votingPeriod: 7 * 86_400,
      timelockDelay: 60,
      lateQuorumVoteExtension: 3600,
    },
    warn: (line) => log(`deploy: ${line}`),
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  const { token, governor, evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;
  let id = 1;
  const rpc = async (method: string, params: unknown[]) => {
    const response = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: id++, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  const accounts = (await rpc('eth_accounts', [])) as Address[];
  const owner = accounts[0]!;
  const evaluators = accounts.slice(1, 4);
  const delegates = accounts.slice(10, 10 + delegateCount);
  const outsider = (i: number) => getAddress(keccak256(toHex(`outsider ${i}`)).slice(0, 42));

  const nonces = new Map<Address, number>();
  const nextNonce = async (from: Address) => {
    const nonce =
      nonces.get(from) ?? Number(await rpc('eth_getTransactionCount', [from, 'pending']));
    nonces.set(from, nonce + 1);
    return nonce;
  };
  /** Sends transactions from anvil's unlocked accounts in batches, then mines until the pool is empty. */
  const sendAll = async (txs: { from: Address; to: Address; data: Hex; value?: Hex }[]) => {
    for (let i = 0; i < txs.length; i += 500) {
      const body = [];
      for (const [j, tx] of txs.slice(i, i + 500).entries()) {
        const nonce = toHex(await nextNonce(tx.from));
        body.push({
          jsonrpc: '2.0',
          id: j,
          method: 'eth_sendTransaction',
          params: [{ ...tx, nonce, gas: toHex(400_000) }],
        });
      }
      const response = await fetch(anvil.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const replies = (await response.json()) as { error?: { message: string } }[];
      const failed = replies.find((reply) => reply.error);
      if (failed) throw new Error(`eth_sendTransaction: ${failed.error!.message}`);
    }
    for (;;) {
      const { pending } = (await rpc('txpool_status', [])) as { pending: Hex };
      if (Number(pending) === 0) break;
      await rpc('evm_mine', []);
    }
  };
  const call = <const abi extends readonly unknown[]>(
    abi: abi,
    functionName: string,
    args: unknown[],
  ) => encodeFunctionData({ abi: abi as never, functionName, args } as never);

  // Governance sets up the evidence registry first, one proposal through its whole life.
  await chain.fund(deployer, deployer, 0n);
  const rules = [
    { suiteId, metricId: metric('f1'), comparator: 0, threshold: parseEther('0.9') },
    { suiteId, metricId: metric('fpr'), comparator: 1, threshold: parseEther('0.05') },
  ] as const;
  await chain.govern(
    deployer,
    [deployer],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suiteId,
        keccak256(toHex('data')),
        [metric('f1'), metric('fpr')],
        'ipfs://suites/bench',
      ]),
      ...evaluators.map((evaluator, i) =>
        action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
          evaluator,
          `Lab ${i + 1}`,
        ]),
      ),
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        policyId,
        rules,
        2,
        30 * 86_400,
        'ipfs://policy',
      ]),
      ...Array.from({ length: familyCount }, (_, i) =>
        action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', [family(i), policyId]),
      ),
    ],
    '# Set up evidence',
  );
  log('governance set up');

  const { minBond, disputeBond } = await chain.gameParameters();
  await sendAll(
    evaluators.map((from) => ({
      from,
      to: evidenceRegistry,
      data: call(evidenceRegistryAbi, 'bond', []),
      value: toHex(minBond),
    })),
  );

  await rpc('evm_setAutomine', [false]);
  const models = Array.from({ length: 20 }, (_, i) => keccak256(toHex(`model ${i}`)));
  await sendAll([
    ...delegates.map((to) => ({
      from: owner,
      to: token,
      data: call(charterTokenAbi, 'transfer', [
        to,
        parseEther(String(100 + (delegates.indexOf(to) % 50) * 10)),
      ]),
    })),
    // Each family's first registrant maintains it, and registers its later versions too.
    ...models.map((model, i) => ({
      from: delegates[i % familyCount]!,
      to: modelRegistry,
      data: call(modelRegistryAbi, 'register', [
        family(i),
        `v${Math.floor(i / familyCount) + 1}`,
        model,
        `ipfs://models/${i}`,
        `0x${'0'.repeat(64)}`,
      ]),
    })),
  ]);
  await sendAll(
    delegates.map((from) => ({ from, to: token, data: call(charterTokenAbi, 'delegate', [from]) })),
  );
  await sendAll(
    models.flatMap((model, m) =>
      evaluators.map((from, e) => ({
        from,
        to: evidenceRegistry,
        data: call(evidenceRegistryAbi, 'submitResult', [
          {
            modelId: model,
            suiteId,
            metricIds: [metric('f1'), metric('fpr')],
            values: [
              parseEther(String(0.85 + ((m + e) % 10) / 100)),
              parseEther(String(0.01 + (e % 3) / 100)),
            ],
            reportDigest: keccak256(toHex(`report ${m} ${e}`)),
            samplesRoot: samplesTree(testSamples(`report ${m} ${e}`)).root,
            uri: `ipfs://reports/${m}/${e}`,
          },
        ]),
      })),
    ),
  );
  // Evaluator 2 disputes evaluator 1's first sample on three models, inside their windows.
  await sendAll(
    models.slice(0, 3).map((model, m) => {
      const samples = testSamples(`report ${m} 0`);
      return {
        from: evaluators[1]!,
        to: evidenceRegistry,
        data: call(evidenceRegistryAbi, 'dispute', [
          model,
          suiteId,
          evaluators[0]!,
          keccak256(toHex(`report ${m} 0`)),
          samples[0],
          samplesTree(samples).proof(samples[0].id),
          {
            prediction: 0n,
            score: 0n,
            reportDigest: keccak256(toHex(`counter ${m}`)),
            uri: `ipfs://reports/counter/${m}`,
          },
        ]),
        value: toHex(disputeBond),
      };
    }),
  );
  // Batched transactions that revert fail silently: make sure the registrations and results all landed.
  const landed = async (address: Address, abi: readonly unknown[], eventName: string) =>
    (
      await chain.public.getContractEvents({
        address,
        abi: abi as never,
        eventName,
        fromBlock: BigInt(deployment.deploymentBlock),
      })
    ).length;
  const registered = await landed(modelRegistry, modelRegistryAbi, 'ModelRegistered');
  const submitted = await landed(evidenceRegistry, evidenceRegistryAbi, 'ResultSubmitted');
  const disputed = await landed(evidenceRegistry, evidenceRegistryAbi, 'ResultDisputed');
  if (
    registered !== models.length ||
    submitted !== models.length * evaluators.length ||
    disputed !== 3
  ) {
    throw new Error(
      `${registered} of ${models.length} models registered, ${submitted} of ${models.length * evaluators.length} results posted, ${disputed} of 3 disputes opened`,
    );
  }
  log('delegates funded, models registered, results posted');

  // Approvals pinned to the chain as it stands: the family's policy and version, no current version.
  const approvals = new Map<number, Awaited<ReturnType<typeof approvalAction>>>();
  for (let p = 0; p < proposalCount; p += 5) {
    approvals.set(p, await approvalAction(chain, models[p % 20]!));
  }
  // The governor counts votes one second in the past.
  await rpc('evm_increaseTime', [2]);
  const descriptions: string[] = [];
  const actionsOf = (p: number) => {
    switch (p % 5) {
      case 0:
        return approvals.get(p)!;
      case 1:
        return action(policyRegistry, policyRegistryAbi, 'setPolicy', [
          policyId,
          rules,
          3,
          14 * 86_400,
          `ipfs://policy/${p}`,
        ]);
      case 2:
        return action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
          outsider(600 + p),
          `Lab ${p}`,
        ]);
      case 3:
        return action(governor, charterGovernorAbi, 'setVotingDelay', [120 + p]);
      default:
        return action(token, charterTokenAbi, 'transfer', [outsider(700 + p), parseEther('1')]);
    }
  };
  const proposalTxs = Array.from({ length: proposalCount }, (_, p) => {
    const description = `# Proposal ${p}\n\n${'Why this matters. '.repeat(20)}`;
    descriptions.push(description);
    const a = actionsOf(p);
    return {
      from: owner,
      to: governor,
      data: call(charterGovernorAbi, 'propose', [[a.target], [0n], [a.calldata], description]),
    };
  });
  await sendAll(proposalTxs);
  const proposals = descriptions.map((description, p) => proposalId([actionsOf(p)], description));
  await rpc('evm_increaseTime', [61]);
  await rpc('evm_mine', []);
  log('50 proposals open');

  // In rounds where each delegate casts at most one vote, as people do; each round fills a few blocks.
  const unvoted = new Map<Address, bigint[]>(delegates.map((d) => [d, []]));
  let cast = 0;
  for (let round = 0; round < proposalCount; round++) {
    const votes: { from: Address; to: Address; data: Hex }[] = [];
    delegates.forEach((from, d) => {
      const p = (d + round) % proposalCount;
      const proposal = proposals[p]!;
      if (p !== 0 && (d + p) % 5 === 0) return unvoted.get(from)!.push(proposal);
      const support = (d * 7 + p) % 10 < 6 ? 1 : (d + p) % 3 === 0 ? 2 : 0;
      const data =
        d % 4 === 0
          ? call(charterGovernorAbi, 'castVoteWithReason', [
              proposal,
              support,
              `Delegate ${d} on proposal ${p}`,
            ])
          : call(charterGovernorAbi, 'castVote', [proposal, support]);
      votes.push({ from, to: governor, data });
    });
    await sendAll(votes);
    cast += votes.length;
    if (round % 10 === 9) log(`${cast} votes`);
  }
  const { queued } = (await rpc('txpool_status', [])) as { queued: Hex };
  if (Number(queued) !== 0) throw new Error(`${Number(queued)} transactions were never mined`);
  await rpc('evm_setAutomine', [true]);
  // Quiet blocks after the busy ones: the busy ones are then final, as they are on a live network.
  await rpc('anvil_mine', [toHex(256), toHex(1)]);
  return { anvil, deployment, chain, delegates, proposals, unvoted, rpc };
}

/**
 * `voter` votes for `proposal`; resolves once the node serves the vote's block as its latest (anvil returns
 * from eth_sendTransaction before it has finished the block on a chain this size). `beforeSending` hears the
 * number of the block the vote will be mined in, so that a listener for it is in place before it can come.
 */
export async function voteAndMine(
  bench: BenchChain,
  voter: Address,
  proposal: bigint,
  beforeSending?: (block: number) => void,
): Promise<void> {
  const before = Number(await bench.rpc('eth_blockNumber', []));
  beforeSending?.(before + 1);
  await bench.rpc('eth_sendTransaction', [
    {
      from: voter,
      to: bench.deployment.contracts.governor,
      data: encodeFunctionData({
        abi: charterGovernorAbi,
        functionName: 'castVote',
        args: [proposal, 1],
      }),
      gas: '0x61a80',
    },
  ]);
  while (Number(await bench.rpc('eth_blockNumber', [])) <= before) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
