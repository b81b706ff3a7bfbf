import { randomBytes } from 'node:crypto';
import { getAddress, toHex } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startAnvil, type Anvil } from '../anvil';
import { deployCharter } from '../deploy';
import type { Deployment } from '../deployments';
import { anvilPrivateKey } from '../devAccounts';
import { DevChain } from '../devGovernance';
import { evidenceRegistryAbi } from '../generated/abis';
import { resultId } from './resultId';

let anvil: Anvil;
let deployment: Deployment;
let chain: DevChain;
beforeAll(async () => {
  anvil = await startAnvil();
  deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: anvilPrivateKey(0) });
  chain = new DevChain(anvil.rpcUrl, deployment);
}, 120_000);
afterAll(() => anvil?.stop());

it('derives the result id as EvidenceRegistry.resultId does', async () => {
  for (let i = 0; i < 20; i++) {
    const [modelId, suiteId] = [toHex(randomBytes(32)), toHex(randomBytes(32))];
    const evaluator = getAddress(toHex(randomBytes(20)));
    const onChain = await chain.public.readContract({
      address: deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'resultId',
      args: [modelId, suiteId, evaluator],
    });
    expect(resultId(modelId, suiteId, evaluator)).toBe(onChain);
  }
});
