// Talks to wallets and the chain: EIP-6963 discovery, EIP-1193 providers through viem, the dev accounts of a
// local chain, and transactions followed from signing to indexed. Loaded on first use (see state.svelte.ts).
import { invalidateAll } from '$app/navigation';
import { createStore, type EIP6963ProviderDetail } from 'mipd';
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  numberToHex,
  type Account,
  type Address,
  type EIP1193Provider,
  type Hex,
  type PublicClient,
  type TypedDataDefinition,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { describeError, isInsufficientFunds, noGasWords } from '$lib/errors';
import { indexedAt } from '$lib/live.svelte';
import { sendCall, type Call } from './sendCall';
import {
  expectedChain,
  settleTransaction,
  STORAGE_KEY,
  trackTransaction,
  wallet,
  type TxEntry,
} from './state.svelte';

const store = createStore();

export function providers(): readonly EIP6963ProviderDetail[] {
  return store.getProviders();
}

export function onProviders(listener: (providers: readonly EIP6963ProviderDetail[]) => void) {
  listener(store.getProviders());
  return store.subscribe((all) => listener(all));
}

const chain = () =>
  defineChain({
    id: expectedChain.id,
    name: expectedChain.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [expectedChain.publicRpcUrl] } },
  });

let walletClient: WalletClient | undefined;
let publicClient: PublicClient | undefined;
let provider: EIP1193Provider | undefined;
let detachProvider: (() => void) | undefined;

const devTransport = () => http(new URL('/rpc', location.origin).href);

function remember(
  value: { kind: 'dev'; index: number } | { kind: 'injected'; rdns: string } | null,
) {
  if (value) localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  else localStorage.removeItem(STORAGE_KEY);
}

export function disconnect(): void {
  detachProvider?.();
  detachProvider = undefined;
  provider = undefined;
  walletClient = undefined;
  publicClient = undefined;
  wallet.account = null;
  wallet.chainId = null;
  wallet.kind = null;
  wallet.name = '';
  wallet.devIndex = null;
  wallet.error = '';
  remember(null);
}

/** Uses one of anvil's accounts, signing in the page. Local chain only. */
export function connectDev(index: number, privateKey: Hex, name: string): void {
  if (!expectedChain.dev) throw new Error('dev accounts exist only on the local chain');
  disconnect();
  const account = privateKeyToAccount(privateKey);
  const transport = devTransport();
  walletClient = createWalletClient({ account, chain: chain(), transport });
  publicClient = createPublicClient({ chain: chain(), transport });
  wallet.account = account.address;
  wallet.chainId = expectedChain.id;
  wallet.kind = 'dev';
  wallet.name = name;
  wallet.devIndex = index;
  remember({ kind: 'dev', index });
}

/** Connects a wallet found through EIP-6963; `silent` reconnects only if the site is already allowed. */
export async function connectInjected(
  detail: EIP6963ProviderDetail,
  silent = false,
): Promise<void> {
  disconnect();
  const p = detail.provider as EIP1193Provider;
  try {
    const accounts = (await p.request({
      method: silent ? 'eth_accounts' : 'eth_requestAccounts',
    })) as Address[];
    if (!accounts.length) return;
    const chainId = Number(await p.request({ method: 'eth_chainId' }));
    provider = p;
    walletClient = createWalletClient({ account: accounts[0], transport: custom(p) });
    publicClient = createPublicClient({ transport: custom(p) });
    wallet.account = accounts[0] ?? null;
    wallet.chainId = chainId;
    wallet.kind = 'injected';
    wallet.name = detail.info.name;
    remember({ kind: 'injected', rdns: detail.info.rdns });

    const onAccounts = (next: Address[]) => {
      if (!next.length) return disconnect();
      wallet.account = next[0] ?? null;
      walletClient = createWalletClient({ account: next[0], transport: custom(p) });
    };
    const onChain = (id: string) => (wallet.chainId = Number(id));
    p.on('accountsChanged', onAccounts);
    p.on('chainChanged', onChain);
    detachProvider = () => {
      p.removeListener('accountsChanged', onAccounts);
      p.removeListener('chainChanged', onChain);
    };
  } catch (error) {
    wallet.error = describeError(error);
  }
}

/** Reconnects what the person used last time, without prompting. */
export async function restore(
  devAccounts: { index: number; name: string; privateKey: Hex }[],
): Promise<void> {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (!saved) return;
  const value = JSON.parse(saved) as { kind: string; index?: number; rdns?: string };
  if (value.kind === 'dev') {
    const dev = devAccounts.find((a) => a.index === value.index);
    if (dev && expectedChain.dev) connectDev(dev.index, dev.privateKey, dev.name);
    return;
  }
  // Wallets announce themselves shortly after the page asks.
  for (let i = 0; i < 10; i++) {
    const found = providers().find((d) => d.info.rdns === value.rdns);
    if (found) return connectInjected(found, true);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Asks the wallet to switch to the deployment's chain, adding it first if the wallet does not know it. */
export async function switchChain(): Promise<void> {
  if (!provider) return;
  const chainId = numberToHex(expectedChain.id);
  try {
    await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
  } catch (error) {
    if ((error as { code?: number }).code !== 4902) {
      wallet.error = describeError(error);
      return;
    }
    try {
      await provider.request({
        method: 'wallet_addEthereumChain',
        params: [
          {
            chainId,
            chainName: expectedChain.name,
            nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
            rpcUrls: [expectedChain.publicRpcUrl],
          },
        ],
      });
    } catch (addError) {
      wallet.error = describeError(addError);
    }
  }
}

function ready(): { walletClient: WalletClient; publicClient: PublicClient; account: Address } {
  if (!walletClient || !publicClient || !wallet.account) throw new Error('Connect a wallet first.');
  if (wallet.chainId !== expectedChain.id) {
    throw new Error(`Your wallet is on another network: switch to ${expectedChain.name}.`);
  }
  return { walletClient, publicClient, account: wallet.account };
}

let nextId = 1;

const track = (label: string): TxEntry =>
  trackTransaction({ id: nextId++, label, step: 'signing' });

export type { Call };

export interface Sent {
  /** Mined successfully. */
  ok: boolean;
  /** Resolves once the indexer has reported the change (false if it did not in time, or not mined). */
  indexed: Promise<boolean>;
  /** Not sent: the account's ETH cannot pay for its gas. */
  cannotPay?: boolean;
}

/**
 * Sends a transaction through the shared write rule (`sendCall`: simulated, gas from the pending state with
 * headroom, an out-of-gas failure explained) and follows it: signing, pending, mined, and indexed once the
 * indexer's stream reports a change from its block. `gasless` names the button that does the same without
 * gas, where a relayer offers one: an account that cannot pay for the gas is pointed to it.
 */
export async function send(
  label: string,
  call: Call,
  options: { gasless?: string | null } = {},
): Promise<Sent> {
  const entry = track(label);
  const failed = (error: string, cannotPay = false): Sent => {
    entry.step = 'failed';
    entry.error = error;
    return { ok: false, indexed: Promise.resolve(false), cannotPay };
  };
  try {
    const receipt = await sendCall(ready(), label, call, {
      onSent: (hash) => {
        entry.hash = hash;
        entry.step = 'pending';
      },
    });
    entry.block = Number(receipt.blockNumber);
    entry.step = 'mined';
    const indexed = indexedAt(entry.block).then(async (done) => {
      entry.step = 'indexed';
      entry.notIndexed = !done;
      await invalidateAll();
      settleTransaction(entry.id);
      return done;
    });
    return { ok: true, indexed };
  } catch (error) {
    if (isInsufficientFunds(error)) return failed(noGasWords(options.gasless), true);
    return failed(describeError(error));
  }
}

/** Reads a contract through the connected wallet's chain (or the dev chain). */
export function reader(): PublicClient {
  if (publicClient) return publicClient;
  if (expectedChain.dev) return createPublicClient({ chain: chain(), transport: devTransport() });
  throw new Error('Connect a wallet first.');
}

/** The account's ETH, in wei, on the connected wallet's chain (or the dev chain). */
export async function ethBalance(account: Address): Promise<bigint> {
  return reader().getBalance({ address: account });
}

/** Signs EIP-712 typed data with the connected account. */
export async function signTyped(definition: TypedDataDefinition): Promise<Hex> {
  const { walletClient, account } = ready();
  return walletClient.signTypedData({
    ...(definition as TypedDataDefinition<Record<string, unknown>, string>),
    account: (walletClient.account as Account | undefined) ?? account,
  });
}

/** Signs a plain-text message (EIP-191 `personal_sign`) with the connected account: a Sign-In with Ethereum message. */
export async function signMessage(message: string): Promise<Hex> {
  const { walletClient, account } = ready();
  return walletClient.signMessage({
    message,
    account: (walletClient.account as Account | undefined) ?? account,
  });
}

async function devRpc(method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch('/rpc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/**
 * Moves the dev chain's clock forward by `seconds` and mines a block (`evm_increaseTime` and `evm_mine`,
 * which anvil and Hardhat's node both have), then waits for the indexer to reach that block and reloads the page's data.
 */
export async function advanceTime(seconds: number): Promise<void> {
  await devRpc('evm_increaseTime', [seconds]);
  await devRpc('evm_mine');
  const block = Number(await devRpc('eth_blockNumber'));
  for (let i = 0; i < 50; i++) {
    const response = await fetch('/api/indexed');
    if (
      response.ok &&
      ((await response.json()) as { indexedBlock: number }).indexedBlock >= block
    ) {
      break;
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  await invalidateAll();
}
