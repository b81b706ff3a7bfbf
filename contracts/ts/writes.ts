import {
  BaseError,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';

// How every Charter write is sent: gas estimated against the pending state where the node allows, plus a
// documented headroom, and a receipt that explains an out-of-gas failure instead of retrying blindly.
// Browser-safe (viem only): the web app's wallet calls, the evaluator and the deploy routine share it.

/**
 * Headroom over the node's estimate: ×1.25 plus 25,000 gas. A vote or delegation that writes a checkpoint
 * costs more when an earlier transaction in the same block touched the same checkpoints, and some nodes
 * estimate against `latest`, not the block the transaction lands in (seen: 59,790 estimated, 104,322
 * used, against `latest`; estimating against `pending` removes most of that gap).
 */
export const GAS_HEADROOM = { numerator: 125n, denominator: 100n, extra: 25_000n } as const;

export const withHeadroom = (estimate: bigint): bigint =>
  (estimate * GAS_HEADROOM.numerator) / GAS_HEADROOM.denominator + GAS_HEADROOM.extra;

export interface WriteRequest {
  account: Account | Address;
  to?: Address;
  data: Hex;
  value?: bigint;
}

/** The gas limit to send a call with: the estimate against `pending` (or `latest`), with headroom. */
export async function gasLimitFor(client: PublicClient, request: WriteRequest): Promise<bigint> {
  let estimate: bigint;
  try {
    estimate = await client.estimateGas({ ...request, blockTag: 'pending' });
  } catch (error) {
    // A revert is the call's answer whatever the block; only a node that refuses `pending` gets a retry.
    if (!refusedBlockTag(error)) throw error;
    estimate = await client.estimateGas({ ...request, blockTag: 'latest' });
  }
  return withHeadroom(estimate);
}

function refusedBlockTag(error: unknown): boolean {
  const text =
    error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
  return (
    /pending|block ?tag|unsupported|not supported|unknown block/i.test(text) &&
    !/revert/i.test(text)
  );
}

/** A transaction that used all the gas it was given. Not retryable as it was: it needs a higher limit. */
export class OutOfGasError extends Error {
  override name = 'OutOfGasError';
  constructor(
    readonly hash: Hex,
    readonly gasUsed: bigint,
    readonly gasLimit: bigint,
    what: string,
  ) {
    super(
      `${what} ran out of gas (${hash}): it used all ${gasLimit} gas it was given. The node's estimate ` +
        `was probably taken against an older state; send it again with a higher gas limit.`,
    );
  }
}

/** A mined transaction that reverted for another reason. */
export class RevertedTransactionError extends Error {
  override name = 'RevertedTransactionError';
  constructor(
    readonly hash: Hex,
    what: string,
  ) {
    super(`${what} reverted on-chain (${hash}).`);
  }
}

/** Waits for a receipt, polling at `pollingInterval`, and says why a failed transaction failed. */
export async function confirmWrite(
  client: PublicClient,
  hash: Hex,
  options: { what: string; gasLimit?: bigint; pollingInterval?: number },
): Promise<TransactionReceipt> {
  const receipt = await client.waitForTransactionReceipt({
    hash,
    ...(options.pollingInterval ? { pollingInterval: options.pollingInterval } : {}),
  });
  if (receipt.status === 'success') return receipt;
  const limit = options.gasLimit ?? (await client.getTransaction({ hash })).gas;
  if (receipt.gasUsed >= limit) throw new OutOfGasError(hash, receipt.gasUsed, limit, options.what);
  throw new RevertedTransactionError(hash, options.what);
}
