// The wallet's state as components read it. Kept free of viem so that pages load without it: the code that
// talks to wallets and the chain (session.ts) is loaded on first use.

export type WalletKind = 'injected' | 'dev';

export interface ChainInfo {
  id: number;
  name: string;
  dev: boolean;
  publicRpcUrl: string;
}

export const wallet = $state({
  account: null as `0x${string}` | null,
  chainId: null as number | null,
  kind: null as WalletKind | null,
  /** The wallet's name ("MetaMask") or "Dev account 3". */
  name: '',
  error: '',
});

/** The chain this deployment lives on; set by the root layout. */
export const expectedChain: ChainInfo = $state({ id: 0, name: '', dev: false, publicRpcUrl: '' });

export const wrongNetwork = () =>
  wallet.account !== null && wallet.chainId !== null && wallet.chainId !== expectedChain.id;

export type TxStep = 'signing' | 'pending' | 'mined' | 'indexed' | 'failed';

export interface TxEntry {
  id: number;
  label: string;
  step: TxStep;
  hash?: `0x${string}`;
  block?: number;
  /** Why it failed, in words. */
  error?: string;
  /** The indexer did not report the change in time; the page may lag. */
  notIndexed?: boolean;
}

export const transactions: TxEntry[] = $state([]);

export const STORAGE_KEY = 'charter.wallet';

/** Loads the wallet code (viem, mipd) on first use. */
export const session = () => import('./session');

/** Loads the transaction encoders with the wallet code. */
export const calls = () => import('./calls');
