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
  /** The wallet's name ("MetaMask"), or the dev account's ("alice"). */
  name: '',
  /** Which dev account is in use, on a local chain. */
  devIndex: null as number | null,
  error: '',
});

/** The chain this deployment lives on; set by the root layout. */
export const expectedChain: ChainInfo = $state({ id: 0, name: '', dev: false, publicRpcUrl: '' });

export const wrongNetwork = () =>
  wallet.account !== null && wallet.chainId !== null && wallet.chainId !== expectedChain.id;

/** `queued`: a signed ballot the relayer accepted and has not sent yet (`relayed` entries only). */
export type TxStep = 'signing' | 'queued' | 'pending' | 'mined' | 'indexed' | 'failed';

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
  /** Signed here and sent by the relayer, which pays the gas: its steps are queued, sent, mined, indexed. */
  relayed?: boolean;
}

/** The transactions the page shows, newest first. */
export const transactions: TxEntry[] = $state([]);

/** At most this many show at once; the oldest leave first. */
export const MAX_TRANSACTIONS = 3;
/** How long a transaction that went through stays after it is indexed. Failures stay until closed. */
export const SETTLED_MS = 5000;

/** Starts showing a transaction. */
export function trackTransaction(entry: TxEntry): TxEntry {
  transactions.unshift(entry);
  if (transactions.length > MAX_TRANSACTIONS) transactions.length = MAX_TRANSACTIONS;
  return transactions[0]!;
}

/** Stops showing a transaction. */
export function dismissTransaction(id: number): void {
  const at = transactions.findIndex((t) => t.id === id);
  if (at !== -1) transactions.splice(at, 1);
}

/** A transaction that went through and was indexed leaves after `SETTLED_MS`. */
export function settleTransaction(id: number): void {
  setTimeout(() => dismissTransaction(id), SETTLED_MS);
}

export const STORAGE_KEY = 'charter.wallet';

/** Loads the wallet code (viem, mipd) on first use. */
export const session = () => import('./session');

/** Loads the transaction encoders with the wallet code. */
export const calls = () => import('./calls');

/** Loads what signs ballots and delegations for the relayer (vote and delegate without gas). */
export const gasless = () => import('./gasless');
