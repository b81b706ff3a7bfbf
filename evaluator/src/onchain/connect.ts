import type { Deployment } from '@charter/contracts';
import {
  createPublicClient,
  createWalletClient,
  http,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/** Clients for one deployed Charter: reading always, writing when a key is given. */
export interface CharterConnection {
  deployment: Deployment;
  public: PublicClient;
  wallet?: WalletClient<Transport, Chain, Account>;
  account?: Account;
}

export function connectCharter(options: {
  rpcUrl: string;
  deployment: Deployment;
  privateKey?: Hex;
}): CharterConnection {
  // RPC faults (timeouts, 429s, dropped responses) are retried with backoff by the transport.
  const transport = http(options.rpcUrl, { retryCount: 5, retryDelay: 250, timeout: 20_000 });
  const chain = { id: options.deployment.chainId } as Chain;
  const account = options.privateKey ? privateKeyToAccount(options.privateKey) : undefined;
  return {
    deployment: options.deployment,
    public: createPublicClient({ transport, chain }),
    account,
    wallet: account ? createWalletClient({ account, chain, transport }) : undefined,
  };
}
