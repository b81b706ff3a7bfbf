// A failed wallet or chain request in words. What a revert means is the protocol's catalogue
// (`describeRevertData` in @charter/contracts/protocol); this module only finds the revert data in the
// error chains that viem and wallets build, and recognises a request the person turned down.
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

/** Any failure of a wallet or chain request, in words for the person who made it. */
export function describeError(error: unknown, context: ErrorContext = {}): string {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.code === 4001) return 'You rejected the request in your wallet.';
    current = current.cause as ErrorLike | undefined;
  }
  const data = revertData(error);
  if (data && data !== '0x') return describeRevertData(data, context);
  const e = error as ErrorLike;
  return e?.shortMessage ?? e?.message ?? String(error);
}
