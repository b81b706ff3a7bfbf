import type { BaseError } from 'viem';
import {
  ContractFunctionRevertedError,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startAnvil, type Anvil } from '../anvil';
import { deployCharter } from '../deploy';
import type { Deployment } from '../deployments';
import { anvilPrivateKey } from '../devAccounts';
import { action, DevChain } from '../devGovernance';
import {
  charterGovernorAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  timelockControllerAbi,
} from '../generated/abis';
import { countsFrom, disputeLapsesAt, resultStanding } from './evidenceGame';
import { evidenceDomain } from './submission';
import { proposalArgs, proposalId, timelockOperationId } from './proposalIds';
import { resultId } from './resultId';
import { sampleLeaf } from './samplesTree';
import { shortNameToBytes32 } from './shortName';
import { disputeStatusOf, modelStatuses, resultStatuses, standings } from './vocabulary';

// The protocol module's encodings against the deployed contracts: each must derive what the chain derives.

let anvil: Anvil;
let deployment: Deployment;
let chain: DevChain;
beforeAll(async () => {
  anvil = await startAnvil();
  deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: anvilPrivateKey(0) });
  chain = new DevChain(anvil.rpcUrl, deployment);
}, 120_000);
afterAll(() => anvil?.stop());

it('derives proposal ids and timelock operation ids as the governor and timelock do', async () => {
  const { governor, timelock, evidenceRegistry } = deployment.contracts;
  const actions = [
    action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [zeroAddress, 'lab']),
    { target: governor, value: 5n, calldata: '0x1234' as const },
  ];
  const description = '# Two actions\n\nwith a value';
  const { targets, values, calldatas, descriptionHash } = proposalArgs(actions, description);
  expect(descriptionHash).toBe(keccak256(toHex(description)));
  const onChainId = await chain.public.readContract({
    address: governor,
    abi: charterGovernorAbi,
    functionName: 'hashProposal',
    args: [targets, values, calldatas, descriptionHash],
  });
  expect(proposalId(actions, description)).toBe(onChainId);

  const salt = await chain.public.readContract({
    address: timelock,
    abi: timelockControllerAbi,
    functionName: 'hashOperationBatch',
    args: [
      targets,
      values,
      calldatas,
      `0x${'0'.repeat(64)}`,
      toHex((BigInt(governor) << 96n) ^ BigInt(descriptionHash), { size: 32 }),
    ],
  });
  expect(timelockOperationId(governor, targets, values, calldatas, descriptionHash)).toBe(salt);
});

it('signs submissions in the evidence registry’s EIP-712 domain', async () => {
  const { evidenceRegistry } = deployment.contracts;
  const [, name, version, chainId, verifyingContract] = await chain.public.readContract({
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'eip712Domain',
  });
  expect(evidenceDomain(deployment.chainId, evidenceRegistry)).toEqual({
    name,
    version,
    chainId: Number(chainId),
    verifyingContract,
  });
});

it('names model statuses in the registry’s enum order', async () => {
  const status = await chain.public.readContract({
    address: deployment.contracts.modelRegistry,
    abi: modelRegistryAbi,
    functionName: 'statusOf',
    args: [keccak256(toHex('never registered'))],
  });
  expect(modelStatuses[status]).toBe('unknown');
});

it('names the statuses the registry’s refusals carry', async () => {
  const { modelRegistry, timelock } = deployment.contracts;
  const unknown = keccak256(toHex('never registered'));
  // Called as governance (an eth_call from the timelock): each refusal names the status it was asked for.
  const refusedTarget = async (functionName: 'deprecate' | 'liftSuspension') => {
    const error = await chain.public
      .simulateContract({
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName,
        args: [unknown],
        account: timelock,
      })
      .then(
        () => undefined,
        (e: BaseError) => e.walk((c) => c instanceof ContractFunctionRevertedError),
      );
    const data = (error as ContractFunctionRevertedError | undefined)?.data;
    expect(data?.errorName).toBe('ModelRegistryInvalidTransition');
    return modelStatuses[(data!.args as readonly [string, number, number])[2]];
  };
  expect(await refusedTarget('deprecate')).toBe('deprecated');
  expect(await refusedTarget('liftSuspension')).toBe('approved');
});

it('names standings and dispute statuses in the registry’s enum order, and times windows as it does', async () => {
  const { evidenceRegistry } = deployment.contracts;
  const [deployer, alice, bob, labKey, disputerKey] = [0, 1, 2, 6, 7].map(anvilPrivateKey) as Hex[];
  const lab = privateKeyToAccount(labKey!).address;
  await chain.fund(deployer!, alice!, parseEther('300000'));
  await chain.fund(deployer!, bob!, parseEther('200000'));
  const suiteId = keccak256(toHex('standings suite'));
  await chain.govern(
    alice!,
    [alice!, bob!],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suiteId,
        keccak256(toHex('dataset')),
        [shortNameToBytes32('accuracy')],
        'suite',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [lab, 'lab']),
    ],
    'Register a suite and admit a lab',
  );
  const game = await chain.gameParameters();
  const modelId = keccak256(toHex('standings model'));
  const sample = { id: 'only', label: 1n, prediction: 1n, score: 10n ** 18n };
  const leaf = sampleLeaf(sample);
  const reportDigest = keccak256(toHex('report'));
  await chain.send(labKey!, {
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'submitResult',
    args: [
      {
        modelId,
        suiteId,
        metricIds: [shortNameToBytes32('accuracy')],
        values: [10n ** 18n],
        reportDigest,
        samplesRoot: leaf,
        uri: '',
      },
    ],
  });
  const read = async () => {
    const [[evidence], [live], from, now] = await Promise.all([
      chain.public.readContract({
        address: evidenceRegistry,
        abi: evidenceRegistryAbi,
        functionName: 'evidenceFor',
        args: [modelId, suiteId, 0n],
      }),
      chain.public.readContract({
        address: evidenceRegistry,
        abi: evidenceRegistryAbi,
        functionName: 'result',
        args: [modelId, suiteId, lab],
      }),
      chain.public.readContract({
        address: evidenceRegistry,
        abi: evidenceRegistryAbi,
        functionName: 'countsFrom',
        args: [resultId(modelId, suiteId, lab)],
      }),
      chain.now(),
    ]);
    const ours = resultStanding(
      { status: resultStatuses[live.status]!, submittedAt: live.submittedAt, bond: evidence!.bond },
      game,
      now,
    );
    expect(BigInt(from)).toBe(countsFrom(live.submittedAt, game.challengePeriod));
    expect(BigInt(evidence!.countsFrom)).toBe(BigInt(from));
    expect(ours).toBe(standings[evidence!.standing]);
    return ours;
  };
  expect(await read()).toBe('underbonded');
  await chain.bond(labKey!);
  expect(await read()).toBe('in-window');

  const disputeId = await chain.public.readContract({
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'disputeCount',
  });
  expect(disputeStatusOf((await disputeOf(disputeId + 1n)).status)).toBeUndefined();
  await chain.send(disputerKey!, {
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'dispute',
    args: [
      modelId,
      suiteId,
      lab,
      reportDigest,
      sample,
      [],
      { prediction: 0n, score: 0n, reportDigest: keccak256(toHex('mine')), uri: '' },
    ],
    value: game.disputeBond,
  });
  expect(await read()).toBe('disputed');
  const opened = await disputeOf(disputeId + 1n);
  expect(disputeStatusOf(opened.status)).toBe('open');
  const lapsesAt = disputeLapsesAt(opened.openedAt, game.resolutionTimeout);
  await chain.advanceTime(lapsesAt - (await chain.now()));
  await chain.send(disputerKey!, {
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'resolveLapsedDispute',
    args: [disputeId + 1n],
  });
  expect(disputeStatusOf((await disputeOf(disputeId + 1n)).status)).toBe('rejected');
  expect(await read()).toBe('counts');

  function disputeOf(id: bigint) {
    return chain.public.readContract({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'disputeOf',
      args: [id],
    });
  }
}, 60_000);
