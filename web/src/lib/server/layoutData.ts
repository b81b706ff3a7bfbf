import { anvilPrivateKey, devAccountNames } from '@charter/contracts/dev-accounts';
import { privateKeyToAddress } from 'viem/accounts';

import { config } from './config';
import { indexer, read } from './indexer';

export interface DevAccount {
  index: number;
  /** What the account is in the demo DAO ("alice"), as `npm start` names it. */
  name: string;
  address: `0x${string}`;
  /** anvil's well-known key: public knowledge, handed out on the local chain only. */
  privateKey: `0x${string}`;
}

let devAccountsCache: DevAccount[] | undefined;

function devAccounts(): DevAccount[] {
  devAccountsCache ??= devAccountNames.map((name, index) => {
    const privateKey = anvilPrivateKey(index);
    return { index, name, privateKey, address: privateKeyToAddress(privateKey) };
  });
  return devAccountsCache;
}

/** What every page needs: the chain, the governance parameters and the chain's time, and dev accounts in dev mode. */
export async function layoutData() {
  const governance = await read(indexer.governance());
  const dev = config.devChain;
  return {
    chain: {
      id: config.chainId,
      name: config.chainName,
      dev,
      publicRpcUrl: config.publicRpcUrl,
    },
    governance,
    devAccounts: dev ? devAccounts() : [],
    /** Whether a notifier is configured: the notifications page and its link exist only then. */
    notifications: config.notifierUrl !== null,
    /** Whether a relayer is configured: the vote form and delegate buttons offer to act without gas. */
    relayer: config.relayerUrl !== null,
  };
}
