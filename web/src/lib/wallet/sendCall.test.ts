// The web app's write path against a real anvil: the gas limit it sends is the pending-state estimate plus
// the shared headroom, a transaction that runs out of gas anyway is explained in words, and one from an
// account with no ETH is recognised as such.
import {
  anvilPrivateKey,
  charterTokenAbi,
  deployCharter,
  startAnvil,
  type Anvil,
  type Deployment,
} from '@charter/contracts';
import { OutOfGasError, withHeadroom } from '@charter/contracts/writes';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { describeError, isInsufficientFunds } from '$lib/errors';
import { delegate } from './calls';
import { sendCall } from './sendCall';

let anvil: Anvil;
let deployment: Deployment;
let clients: { walletClient: WalletClient; publicClient: PublicClient; account: `0x${string}` };

beforeAll(async () => {
  anvil = await startAnvil();
  deployment = await deployCharter({ rpcUrl: anvil.rpcUrl, privateKey: anvilPrivateKey(0) });
  const chain = defineChain({
    id: deployment.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  });
  const account = privateKeyToAccount(anvilPrivateKey(0));
  clients = {
    walletClient: createWalletClient({ account, chain, transport: http(anvil.rpcUrl) }),
    publicClient: createPublicClient({ chain, transport: http(anvil.rpcUrl) }) as PublicClient,
    account: account.address,
  };
}, 120_000);

afterAll(async () => {
  await anvil?.stop();
});

describe('sendCall', () => {
  it('sends the pending-state estimate plus the headroom as the gas limit', async () => {
    const call = delegate(deployment.contracts.token, clients.account);
    const estimate = await clients.publicClient.estimateGas({
      account: clients.account,
      ...call,
      blockTag: 'pending',
    });
    const receipt = await sendCall(clients, 'Delegate', call);
    expect(receipt.status).toBe('success');
    const sent = await clients.publicClient.getTransaction({ hash: receipt.transactionHash });
    expect(sent.gas).toBe(withHeadroom(estimate));
    expect(sent.gas).toBeGreaterThan(estimate);
    const delegates = await clients.publicClient.readContract({
      address: deployment.contracts.token,
      abi: charterTokenAbi,
      functionName: 'delegates',
      args: [clients.account],
    });
    expect(delegates).toBe(clients.account);
  });

  it('explains a transaction that ran out of gas, not a bare revert', async () => {
    const other = privateKeyToAccount(anvilPrivateKey(1)).address;
    const call = delegate(deployment.contracts.token, other);
    const error = await sendCall(clients, 'Delegate', call, { gas: 30_000n }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutOfGasError);
    expect((error as OutOfGasError).gasLimit).toBe(30_000n);
    expect(describeError(error)).toMatch(/^Delegate ran out of gas \(0x[0-9a-f]{64}\)/);
    expect(describeError(error)).toContain('send it again with a higher gas limit');
  });

  it('recognises a transaction its sender has no ETH to pay for', async () => {
    const broke = privateKeyToAccount(generatePrivateKey());
    const walletClient = createWalletClient({
      account: broke,
      chain: clients.walletClient.chain,
      transport: http(anvil.rpcUrl),
    });
    const call = delegate(deployment.contracts.token, broke.address);
    const error = await sendCall(
      { walletClient, publicClient: clients.publicClient, account: broke.address },
      'Delegate',
      call,
    ).catch((e: unknown) => e);
    expect(isInsufficientFunds(error)).toBe(true);
    expect(describeError(error)).toBe('This account does not have enough ETH to pay for gas.');
  });
});
