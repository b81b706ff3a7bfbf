import { parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startAnvil, type Anvil } from './anvil';
import { anvilPrivateKey } from './devAccounts';
import { deployCharter } from './deploy';
import { action, DevChain } from './devGovernance';
import { proposalId } from './protocol';
import { charterGovernorAbi, evidenceRegistryAbi } from './generated/abis';

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(() => anvil?.stop());

it('runs a proposal through its whole life on a dev chain', async () => {
  const [deployer, alice, bob, evaluator] = [0, 1, 2, 3].map(anvilPrivateKey) as [
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
  ];
  const deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: deployer });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));

  const { evidenceRegistry, governor } = deployment.contracts;
  const evaluatorAddress = privateKeyToAccount(evaluator).address;
  const actions = [
    action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [evaluatorAddress, 'lab']),
  ];
  const id = await chain.govern(alice, [alice, bob], actions, 'Admit the lab');

  expect(id).toBe(proposalId(actions, 'Admit the lab'));
  expect(
    await chain.public.readContract({
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'state',
      args: [id],
    }),
  ).toBe(7); // Executed
  expect(
    await chain.public.readContract({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'isEvaluator',
      args: [evaluatorAddress],
    }),
  ).toBe(true);
}, 60_000);
