import { charterTokenAbi } from '@charter/contracts';
import type { TestChain } from '@charter/indexer/testing';
import {
  encodeFunctionData,
  keccak256,
  parseEther,
  parseSignature,
  toHex,
  type Address,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { signDelegation } from '../src/testing/testChain';

/**
 * `count` new token holders (keys derived from their index, so runs repeat), each sent `tokens` by the
 * deployer and delegated to itself by a signed delegation that the deployer sends (`delegateBySig`): they
 * hold no ETH, as a gasless voter would. The deployer's transactions go out in JSON-RPC batches (anvil holds
 * its key) with automine off and are mined in full blocks; automine is back on when this returns.
 */
export async function fundVoters(test: TestChain, count: number, tokens = '10'): Promise<Hex[]> {
  const { token } = test.deployment.contracts;
  const deployer = privateKeyToAccount(test.keys[0]!).address;
  const keys = Array.from({ length: count }, (_, i) =>
    keccak256(toHex(`relayer bench voter ${i}`)),
  );
  const expiry = (await test.chain.now()) + 86_400n;
  const txs: { to: Address; data: Hex }[] = [];
  for (const key of keys) {
    const voter = privateKeyToAccount(key).address;
    const { signature } = await signDelegation(test, key, voter, { nonce: 0n, expiry });
    const { v, yParity, r, s } = parseSignature(signature);
    txs.push(
      {
        to: token,
        data: encodeFunctionData({
          abi: charterTokenAbi,
          functionName: 'transfer',
          args: [voter, parseEther(tokens)],
        }),
      },
      {
        to: token,
        data: encodeFunctionData({
          abi: charterTokenAbi,
          functionName: 'delegateBySig',
          args: [voter, 0n, expiry, Number(v ?? BigInt(yParity + 27)), r, s],
        }),
      },
    );
  }

  const rpc = (body: unknown) =>
    fetch(test.anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((response) => response.json() as Promise<unknown>);
  const call = async (method: string, params: unknown[] = []) => {
    const reply = (await rpc({ jsonrpc: '2.0', id: 1, method, params })) as {
      result?: unknown;
      error?: { message: string };
    };
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result;
  };

  let nonce = Number(await call('eth_getTransactionCount', [deployer, 'pending']));
  await call('evm_setAutomine', [false]);
  try {
    for (let i = 0; i < txs.length; i += 500) {
      const batch = txs.slice(i, i + 500).map((tx, j) => ({
        jsonrpc: '2.0',
        id: j,
        method: 'eth_sendTransaction',
        params: [{ from: deployer, ...tx, nonce: toHex(nonce++), gas: toHex(200_000) }],
      }));
      const replies = (await rpc(batch)) as { error?: { message: string } }[];
      const failed = replies.find((reply) => reply.error);
      if (failed) throw new Error(`eth_sendTransaction: ${failed.error!.message}`);
    }
    for (;;) {
      const { pending } = (await call('txpool_status')) as { pending: Hex };
      if (Number(pending) === 0) break;
      await call('evm_mine');
    }
  } finally {
    await call('evm_setAutomine', [true]);
  }

  const last = privateKeyToAccount(keys.at(-1)!).address;
  const votes = await test.chain.public.readContract({
    address: token,
    abi: charterTokenAbi,
    functionName: 'getVotes',
    args: [last],
  });
  if (votes !== parseEther(tokens))
    throw new Error(`voter ${last} has ${votes} votes, not ${tokens}`);
  return keys;
}
