import { confirmWrite, gasLimitFor } from '@charter/contracts/writes';
import type { Account, Address, Hex, PublicClient, TransactionReceipt, WalletClient } from 'viem';

export interface Call {
  to: Address;
  data: Hex;
  /** Wei sent with the call (a dispute's bond). */
  value?: bigint;
}

/**
 * Sends one of the app's transactions the way every Charter write goes out: simulated first (a revert shows
 * before anything is signed), its gas limit from the shared rule (the node's estimate against the pending
 * state plus the documented headroom, `gasLimitFor`), then confirmed; a transaction that still runs out of
 * gas fails with `OutOfGasError`, whose message says so, rather than as a bare revert. `gas` overrides the
 * limit (tests force a low one). `onSent` hears the hash as soon as the node has it.
 */
export async function sendCall(
  clients: { walletClient: WalletClient; publicClient: PublicClient; account: Address },
  what: string,
  call: Call,
  options: { gas?: bigint; onSent?: (hash: Hex) => void } = {},
): Promise<TransactionReceipt> {
  const { walletClient, publicClient, account } = clients;
  await publicClient.call({ account, to: call.to, data: call.data, value: call.value });
  const gas = options.gas ?? (await gasLimitFor(publicClient, { account, ...call }));
  const hash = await walletClient.sendTransaction({
    account: (walletClient.account as Account | undefined) ?? account,
    chain: walletClient.chain ?? null,
    to: call.to,
    data: call.data,
    value: call.value,
    gas,
  });
  options.onSent?.(hash);
  return confirmWrite(publicClient, hash, { what, gasLimit: gas });
}
