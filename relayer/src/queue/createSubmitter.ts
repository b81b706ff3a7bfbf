import type { IndexerClient } from '@charter/indexer/client';
import type { Logger } from '@charter/indexer';
import {
  BaseError as ViemError,
  keccak256,
  parseTransaction,
  TransactionReceiptNotFoundError,
  type Hex,
  type TransactionReceipt,
} from 'viem';

import { encodeBallot } from '../ballots/encodeBallot';
import { rowToSignedBallot } from '../ballots/rowToSignedBallot';
import type { RelayerChain } from '../chain/createChain';
import { simulate, WouldRevert } from '../chain/simulate';
import { getSpending, listBallotsInStatus, updateBallot } from '../database/ballots';
import type { Database } from '../database/openDatabase';
import type { BallotRow } from '../database/schema';

/**
 * Points where a fault test stops the submitter as a crash would: after the signed transaction is stored
 * but before it is broadcast, or after it is broadcast but before that is recorded. Returning `false`
 * stops the submitter there.
 */
export interface SubmitterFaults {
  afterSign?(ballot: BallotRow): boolean;
  afterBroadcast?(ballot: BallotRow): boolean;
}

export interface Submitter {
  /** Runs passes until `stop()`; a pass that throws is logged and retried at the next interval. */
  run(): Promise<void>;
  /** One pass: receipts of sent ballots, indexing of mined ones, then sending queued ones. */
  pass(): Promise<void>;
  /** Starts the next pass now (a ballot was accepted) instead of at the next interval. */
  notify(): void;
  stop(): Promise<void>;
}

/** How long a sent transaction waits for a receipt before it is broadcast again (or its fee raised). */
export const defaultRebroadcastMs = 30_000;
/** A replacement must offer this much more than the transaction it replaces (geth asks 10%). */
const bump = (fee: bigint) => (fee * 1125n) / 1000n + 1n;
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Sends the queue, one transaction per ballot, oldest first. The transaction is signed with an explicit
 * nonce and stored (status `sent`, raw bytes and hash) before it is broadcast: after a crash at any point
 * the same bytes are broadcast again, and a transaction with one hash is mined at most once. The voter's or
 * delegator's own nonce in the signed ballot makes a second landing impossible even then.
 */
export function createSubmitter(options: {
  db: Database;
  chain: RelayerChain;
  indexer?: IndexerClient;
  logger: Logger;
  pollingInterval: number;
  /** The budget in wei: a fee raise that would pass it is not made. */
  budget: bigint;
  rebroadcastMs?: number;
  faults?: SubmitterFaults;
}): Submitter {
  const { db, chain, logger, indexer } = options;
  let stopped = false;
  let crashed = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** When a stored transaction's broadcast last failed, by ballot: retried every ten intervals, not each. */
  const failedBroadcasts = new Map<Hex, number>();
  const retryBroadcastMs = options.pollingInterval * 10;
  const rebroadcastMs = options.rebroadcastMs ?? defaultRebroadcastMs;

  async function pass(): Promise<void> {
    await checkSent();
    if (indexer) await checkIndexed();
    if (!crashed) await sendQueued();
  }

  async function checkSent(): Promise<void> {
    for (const ballot of await listBallotsInStatus(db, ['sent'])) {
      if (stopped || crashed) return;
      const receipt = await receiptOfBallot(ballot);
      if (receipt) {
        await recordReceipt(ballot, receipt);
        continue;
      }
      const failedAt = failedBroadcasts.get(ballot.id);
      if (failedAt !== undefined && Date.now() - failedAt < retryBroadcastMs) continue;
      if (ballot.broadcastAt === null) {
        await broadcast(ballot, 'broadcast_resumed');
      } else if (Date.now() - ballot.broadcastAt > rebroadcastMs) {
        if (!(await raiseFee(ballot))) await broadcast(ballot, 'rebroadcast');
      }
    }
  }

  async function recordReceipt(ballot: BallotRow, receipt: TransactionReceipt): Promise<void> {
    const cost = receipt.gasUsed * receipt.effectiveGasPrice;
    const block = Number(receipt.blockNumber);
    const txHash = receipt.transactionHash;
    if (receipt.status === 'success') {
      await updateBallot(db, ballot.id, { status: 'mined', block, cost, txHash });
      logger.info('ballot_mined', { id: ballot.id, tx: txHash, block, cost });
    } else {
      const error = `The transaction ${txHash} reverted on chain in block ${block}.`;
      await updateBallot(db, ballot.id, { status: 'failed', block, cost, txHash, error });
      logger.warn('ballot_reverted', { id: ballot.id, tx: txHash, block });
    }
  }

  /**
   * Replaces a transaction the chain has not taken with the same one (same nonce) at the fee the chain
   * asks now, when that is more than it offers; false when the fee still covers the chain, or the raise
   * would pass the budget.
   */
  async function raiseFee(ballot: BallotRow): Promise<boolean> {
    const sent = parseTransaction(ballot.rawTx!);
    if (sent.maxFeePerGas === undefined || sent.maxPriorityFeePerGas === undefined) return false;
    const fees = await chain.client.estimateFeesPerGas();
    if (fees.maxFeePerGas <= sent.maxFeePerGas) return false;
    const maxFeePerGas = max(fees.maxFeePerGas, bump(sent.maxFeePerGas));
    const maxPriorityFeePerGas = max(fees.maxPriorityFeePerGas, bump(sent.maxPriorityFeePerGas));
    const reserved = sent.gas! * maxFeePerGas;
    const spending = await getSpending(db);
    if (spending.spent + spending.reserved - ballot.reserved + reserved > options.budget) {
      logger.warn('fee_raise_over_budget', { id: ballot.id, tx: ballot.txHash, maxFeePerGas });
      return false;
    }
    const rawTx = await chain.account.signTransaction({
      type: 'eip1559',
      chainId: chain.chainId,
      nonce: sent.nonce!,
      to: sent.to!,
      data: sent.data!,
      gas: sent.gas!,
      maxFeePerGas,
      maxPriorityFeePerGas:
        maxPriorityFeePerGas > maxFeePerGas ? maxFeePerGas : maxPriorityFeePerGas,
    });
    const replaced = {
      rawTx,
      txHash: keccak256(rawTx),
      replacedTxHashes: [...ballot.replacedTxHashes, ballot.txHash!],
      reserved,
      broadcastAt: null,
    };
    await updateBallot(db, ballot.id, replaced);
    logger.info('fee_raised', {
      id: ballot.id,
      tx: replaced.txHash,
      replaces: ballot.txHash,
      maxFeePerGas,
    });
    await broadcast({ ...ballot, ...replaced }, 'broadcast');
    return true;
  }

  /** The receipt of whichever of the ballot's transactions was mined, if one was. */
  async function receiptOfBallot(ballot: BallotRow): Promise<TransactionReceipt | undefined> {
    for (const hash of [ballot.txHash!, ...ballot.replacedTxHashes]) {
      const receipt = await receiptOf(hash);
      if (receipt) return receipt;
    }
    return undefined;
  }

  async function checkIndexed(): Promise<void> {
    const mined = await listBallotsInStatus(db, ['mined']);
    if (!mined.length) return;
    let indexedBlock: number;
    try {
      indexedBlock = (await indexer!.ready()).indexedBlock;
    } catch (error) {
      logger.debug('indexer_unreachable', { error });
      return;
    }
    for (const ballot of mined) {
      if (ballot.block !== null && ballot.block <= indexedBlock) {
        await updateBallot(db, ballot.id, { status: 'indexed' });
        logger.info('ballot_indexed', { id: ballot.id, block: ballot.block });
      }
    }
  }

  async function sendQueued(): Promise<void> {
    const pending = await listBallotsInStatus(db, ['queued', 'sent']);
    const waiting = new Set(pending.filter((b) => b.status === 'sent').map((b) => b.account));
    for (const ballot of pending) {
      if (stopped || crashed) return;
      // A second ballot of the same signer may depend on the first (its nonce): wait for the receipt.
      if (ballot.status !== 'queued' || waiting.has(ballot.account)) continue;
      const call = encodeBallot(chain, rowToSignedBallot(ballot));
      let gas: bigint;
      try {
        gas = await simulate(chain, call);
      } catch (error) {
        if (!(error instanceof WouldRevert)) throw error;
        await updateBallot(db, ballot.id, {
          status: 'failed',
          errorName: error.reason,
          error: error.message,
        });
        logger.warn('ballot_refused_at_send', { id: ballot.id, reason: error.reason });
        continue;
      }
      const fees = await chain.client.estimateFeesPerGas();
      const nonce = await nextNonce();
      const rawTx = await chain.account.signTransaction({
        type: 'eip1559',
        chainId: chain.chainId,
        nonce,
        to: call.to,
        data: call.data,
        gas,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
      const txHash = keccak256(rawTx);
      const signed = {
        status: 'sent',
        txNonce: nonce,
        rawTx,
        txHash,
        broadcastAt: null,
        reserved: gas * fees.maxFeePerGas,
      } as const;
      await updateBallot(db, ballot.id, signed);
      logger.info('ballot_signed', { id: ballot.id, tx: txHash, nonce });
      if (options.faults?.afterSign?.({ ...ballot, ...signed }) === false) {
        crashed = true;
        return;
      }
      await broadcast({ ...ballot, ...signed }, 'broadcast');
      waiting.add(ballot.account);
    }
  }

  /** The relayer's next nonce: after the node's pending count and after every transaction it stored. */
  async function nextNonce(): Promise<number> {
    const [onChain, stored] = await Promise.all([
      chain.client.getTransactionCount({ address: chain.account.address, blockTag: 'pending' }),
      listBallotsInStatus(db, ['sent']),
    ]);
    return Math.max(onChain, ...stored.map((b) => (b.txNonce ?? -1) + 1));
  }

  async function broadcast(ballot: BallotRow, event: string): Promise<void> {
    try {
      await chain.client.sendRawTransaction({ serializedTransaction: ballot.rawTx! });
    } catch (error) {
      const text =
        error instanceof ViemError ? `${error.shortMessage} ${error.details}` : String(error);
      if (/nonce too low|nonce has already been used|already known|known transaction/i.test(text)) {
        // Mined already, or sitting in the node's pool: either way the receipt will say.
        const receipt = await receiptOfBallot(ballot);
        if (receipt) return recordReceipt(ballot, receipt);
        // A node that knows the transaction (its receipt not served yet) has it: nothing to sign again.
        const known = (
          await Promise.all(
            [ballot.txHash!, ...ballot.replacedTxHashes].map((hash) =>
              chain.client.getTransaction({ hash }).catch(() => undefined),
            ),
          )
        ).some(Boolean);
        if (/nonce/i.test(text) && !known) {
          // The nonce went to another transaction of this key (sent by someone else): sign afresh.
          logger.warn('nonce_taken', { id: ballot.id, tx: ballot.txHash, nonce: ballot.txNonce });
          await updateBallot(db, ballot.id, {
            status: 'queued',
            txNonce: null,
            rawTx: null,
            txHash: null,
            replacedTxHashes: [],
            broadcastAt: null,
          });
          return;
        }
      } else {
        logger.warn('broadcast_failed', { id: ballot.id, tx: ballot.txHash, error });
        failedBroadcasts.set(ballot.id, Date.now());
        return;
      }
    }
    failedBroadcasts.delete(ballot.id);
    if (options.faults?.afterBroadcast?.(ballot) === false) {
      crashed = true;
      return;
    }
    await updateBallot(db, ballot.id, { broadcastAt: Date.now() });
    logger.info(`ballot_${event === 'broadcast' ? 'sent' : event}`, {
      id: ballot.id,
      tx: ballot.txHash,
    });
  }

  async function receiptOf(hash: Hex): Promise<TransactionReceipt | undefined> {
    try {
      return await chain.client.getTransactionReceipt({ hash });
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return undefined;
      throw error;
    }
  }

  async function loop(): Promise<void> {
    while (!stopped && !crashed) {
      try {
        await pass();
      } catch (error) {
        logger.warn('queue_pass_failed', { error });
      }
      if (stopped || crashed) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollingInterval);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    run() {
      running ??= loop();
      return running;
    },
    pass,
    notify: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
