// A failed wallet or chain request in words. What a revert means is the protocol's catalogue
// (`describeRevertData` in @charter/contracts/protocol); this module only finds the revert data in the
// error chains that viem and wallets build, and recognises a request the person turned down and a transaction
// its sender's ETH cannot pay for.
import { describeRevertData, type ErrorContext } from '@charter/contracts/protocol';
import type { Hex } from 'viem';

interface ErrorLike {
  code?: number;
  data?: unknown;
  cause?: unknown;
  shortMessage?: string;
  message?: string;
  details?: string;
}

/** The revert data somewhere in a viem or wallet error chain. */
export function revertData(error: unknown): Hex | undefined {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    const data = current.data as unknown;
    if (typeof data === 'string' && data.startsWith('0x')) return data as Hex;
    if (data && typeof data === 'object') {
      const nested =
        (data as { data?: unknown; originalError?: { data?: unknown } }).data ??
        (data as { originalError?: { data?: unknown } }).originalError?.data;
      if (typeof nested === 'string' && nested.startsWith('0x')) return nested as Hex;
    }
    current = current.cause as ErrorLike | undefined;
  }
  return undefined;
}

// viem's InsufficientFundsError's node messages, its own words, and what wallets say (MetaMask: "insufficient
// funds for gas * price + value").
const INSUFFICIENT_FUNDS =
  /insufficient funds|exceeds (?:transaction sender account balance|the balance of the account)|outoffunds/i;

/**
 * The node or wallet refused a transaction because its sender's ETH cannot pay for it (gas × fee + value):
 * viem's `InsufficientFundsError` anywhere in the chain, or a wallet's own words for it.
 */
export function isInsufficientFunds(error: unknown): boolean {
  let current = error as (ErrorLike & { name?: string }) | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.name === 'InsufficientFundsError') return true;
    const words = [current.shortMessage, current.details, current.message];
    if (words.some((w) => typeof w === 'string' && INSUFFICIENT_FUNDS.test(w))) return true;
    current = current.cause as (ErrorLike & { name?: string }) | undefined;
  }
  return false;
}

/**
 * What an account whose ETH cannot pay for a transaction's gas is told, wherever that shows (a failed
 * transaction, a form that knows the balance is zero). `gasless` is the name of the button that does the same
 * without gas, given only where a relayer offers it.
 */
export function noGasWords(gasless?: string | null): string {
  const words = 'This account does not have enough ETH to pay for gas';
  return gasless ? `${words}: use “${gasless}” instead.` : `${words}.`;
}

/** Any failure of a wallet or chain request, in words for the person who made it. */
export function describeError(error: unknown, context: ErrorContext = {}): string {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.code === 4001) return 'You rejected the request in your wallet.';
    current = current.cause as ErrorLike | undefined;
  }
  const data = revertData(error);
  if (data && data !== '0x') return describeRevertData(data, context);
  if (isInsufficientFunds(error)) return noGasWords();
  const e = error as ErrorLike;
  return e?.shortMessage ?? e?.message ?? String(error);
}
