import { charterGovernorAbi, charterTokenAbi, type Deployment } from '@charter/contracts';
import {
  createPublicClient,
  http,
  type Chain,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  type TypedDataDomain,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { readEip712Domain } from '@charter/contracts/protocol';

/** The chain as the relayer sees it: a public client, its own account, and the contracts' EIP-712 domains. */
export interface RelayerChain {
  client: PublicClient;
  account: PrivateKeyAccount;
  chainId: number;
  governor: Hex;
  token: Hex;
  /** Read from the contracts (ERC-5267), never written here: a redeployment under another name still verifies. */
  domains: { governor: TypedDataDomain; token: TypedDataDomain };
}

export async function createChain(options: {
  rpcUrl: string;
  deployment: Deployment;
  privateKey: Hex;
  timeout?: number;
}): Promise<RelayerChain> {
  const { deployment } = options;
  const client = createPublicClient({
    chain: { id: deployment.chainId } as Chain,
    transport: http(options.rpcUrl, { timeout: options.timeout ?? 10_000, retryCount: 2 }),
  }) as PublicClient;
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) {
    throw new Error(
      `the RPC serves chain ${chainId} but the deployment is on chain ${deployment.chainId}`,
    );
  }
  const { governor, token } = deployment.contracts;
  const [governorDomain, tokenDomain] = await Promise.all([
    readEip712Domain(client, governor),
    readEip712Domain(client, token),
  ]);
  return {
    client,
    account: privateKeyToAccount(options.privateKey),
    chainId,
    governor,
    token,
    domains: { governor: governorDomain, token: tokenDomain },
  };
}

export const governorAbi = charterGovernorAbi;
export const tokenAbi = charterTokenAbi;
