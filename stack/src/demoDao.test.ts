import {
  charterGovernorAbi,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  charterTokenAbi,
  startAnvil,
  type Anvil,
} from '@charter/contracts';
import { decodeFunctionData, keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import {
  demoAccounts,
  GASLESS_HOLDER_TOKENS,
  GUARDIAN_TERM,
  MAIL_GUARD,
  MAIL_SAFETY,
  seedDemoDao,
} from './demoDao';
import { demoDeployConfig, demoEvidenceGame } from './start';

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
    warn: () => {},
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
  // Three evaluators, each bonded the minimum; the security council resolves disputes.
  const evaluators = [
    ...Object.values(demoAccounts.evaluators),
    demoAccounts.dishonestEvaluator,
  ].map((key) => privateKeyToAccount(key).address);
  expect(
    await read({ address: evidenceRegistry, abi: evidenceRegistryAbi, functionName: 'evaluators' }),
  ).toEqual(evaluators);
  expect(await chain.gameParameters()).toEqual(demoEvidenceGame);
  for (const evaluator of evaluators) {
    const [bonded] = await read({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'stakeOf',
      args: [evaluator],
    });
    expect(bonded).toBe(demoEvidenceGame.minBond);
  }
  expect(
    await read({ address: evidenceRegistry, abi: evidenceRegistryAbi, functionName: 'resolver' }),
  ).toBe(privateKeyToAccount(demoAccounts.securityCouncil).address);
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

  // mail-safety governs mail-guard; erin registered both versions, so she maintains the family.
  const family = await read({
    address: modelRegistry,
    abi: modelRegistryAbi,
    functionName: 'family',
    args: [keccak256(toHex(MAIL_GUARD))],
  });
  expect(family).toMatchObject({
    policyId: MAIL_SAFETY,
    maintainer: privateKeyToAccount(demoAccounts.holders.erin).address,
    currentVersion: `0x${'0'.repeat(64)}`,
  });

  // frank holds tokens and not one wei, and has delegated nothing yet: only the relayer can act for him.
  const frank = privateKeyToAccount(demoAccounts.gaslessHolder).address;
  expect(await chain.public.getBalance({ address: frank })).toBe(0n);
  const token = deployment.contracts.token;
  expect(
    await read({ address: token, abi: charterTokenAbi, functionName: 'balanceOf', args: [frank] }),
  ).toBe(GASLESS_HOLDER_TOKENS);
  expect(
    await read({ address: token, abi: charterTokenAbi, functionName: 'delegates', args: [frank] }),
  ).toBe(`0x${'0'.repeat(40)}`);

  // The security council is the guardian, for a year from the deployment.
  const council = privateKeyToAccount(demoAccounts.securityCouncil).address;
  expect(
    await read({ address: governor, abi: charterGovernorAbi, functionName: 'proposalGuardian' }),
  ).toBe(council);
  const termEnd = Number(
    await read({ address: governor, abi: charterGovernorAbi, functionName: 'guardianTermEnd' }),
  );
  const deployedAt = Number(
    (await chain.public.getBlock({ blockNumber: BigInt(deployment.deploymentBlock) })).timestamp,
  );
  expect(termEnd - GUARDIAN_TERM - deployedAt).toBeGreaterThanOrEqual(0);
  expect(termEnd - GUARDIAN_TERM - deployedAt).toBeLessThan(60);

  // The approval pins mail-safety v1 and "no current version", and its description says so in words.
  const [approve] = demo.approvalActions;
  const { functionName, args } = decodeFunctionData({
    abi: modelRegistryAbi,
    data: approve!.calldata,
  });
  expect(functionName).toBe('approve');
  const [modelId, policyId, policyVersion, expectedCurrent, expiresAt] = args as [
    string,
    string,
    bigint,
    string,
    number,
  ];
  expect([modelId, policyId, policyVersion, expectedCurrent]).toEqual([
    demo.models.v2,
    MAIL_SAFETY,
    1n,
    `0x${'0'.repeat(64)}`,
  ]);
  const expiry = new Date(expiresAt * 1000).toISOString().slice(0, 19).replace('T', ' ');
  expect(demo.approvalDescription).toContain('**Policy:** *mail-safety* v1');
  expect(demo.approvalDescription).toContain(
    '**Replaces:** no version: mail-guard has no approved version yet',
  );
  expect(demo.approvalDescription).toContain(`**Expires:** ${expiry} UTC`);
}, 120_000);
