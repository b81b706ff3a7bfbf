import {
  charterGovernorAbi,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  startAnvil,
  type Anvil,
} from '@charter/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { demoAccounts, MAIL_SAFETY, seedDemoDao } from './demoDao';
import { demoDeployConfig } from './start';

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(() => anvil?.stop());

it('seeds a demo DAO with an open proposal to approve mail-guard v2', async () => {
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: demoAccounts.deployer,
    config: demoDeployConfig,
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  const demo = await seedDemoDao(chain, () => {});
  const { governor, evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;
  const read = chain.public.readContract;

  expect(
    await read({
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'state',
      args: [demo.approvalProposalId],
    }),
  ).toBe(1); // Active
  expect(
    await read({ address: evidenceRegistry, abi: evidenceRegistryAbi, functionName: 'evaluators' }),
  ).toHaveLength(2);
  expect(
    await read({
      address: policyRegistry,
      abi: policyRegistryAbi,
      functionName: 'currentVersion',
      args: [MAIL_SAFETY],
    }),
  ).toBe(1n);
  for (const id of [demo.models.v1, demo.models.v2]) {
    expect(
      await read({
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'statusOf',
        args: [id],
      }),
    ).toBe(1); // Candidate
  }
  // No evidence yet: the policy check names the first rule's missing evidence.
  const [met] = await read({
    address: policyRegistry,
    abi: policyRegistryAbi,
    functionName: 'checkPolicy',
    args: [demo.models.v2, MAIL_SAFETY],
  });
  expect(met).toBe(false);
}, 120_000);
