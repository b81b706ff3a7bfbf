import type { BaseError } from 'viem';
import { ContractFunctionRevertedError, keccak256, toHex, zeroAddress } from 'viem';
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
import { evidenceDomain } from './submission';
import { proposalArgs, proposalId, timelockOperationId } from './proposalIds';
import { modelStatuses } from './vocabulary';

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
