import { charterGovernorAbi, type Deployment } from '@charter/contracts';
import { proposalStates as stateWords, voteSupports } from '@charter/contracts/protocol';
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { BaseError, BlockNotFoundError, type PublicClient } from 'viem';

import type { Database } from '../database/openDatabase';
import {
  blocks,
  checkpoint,
  deliveries,
  events,
  models,
  proposalStates,
  results,
} from '../database/schema';
import { ChainMismatchError, ChainMovedError } from '../errors';
import type { EventType } from '../events/eventTypes';
import { recordEvent, type NewEvent } from '../events/recordEvent';
import { derivedId } from '../ids';
import type { Logger } from '@charter/indexer';
import { decodeEvents, followedAddresses, type DecodedLog } from './decodeEvents';

export interface FollowerOptions {
  db: Database;
  client: PublicClient;
  deployment: Deployment;
  confirmations: number;
  maxBlockRange: number;
  pollingInterval: number;
  publicUrl: string;
  logger: Logger;
  /** Called after a batch stored events or retractions: deliveries are due. */
  onEvents(): void;
}

export interface Follower {
  /** Whether the follower has caught up with the final head once. */
  readonly ready: boolean;
  /** The last final block processed. */
  readonly checkpoint: { number: number; hash: string } | undefined;
  /** Resolves when stopped; rejects when the database does not describe this deployment. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** States after which `state()` no longer changes: such proposals are not read again. */
const finalStates = new Set(['canceled', 'defeated', 'expired', 'executed']);
/** Batches shorter than this read open proposals' states after every block. */
const perBlockReads = 32;
/** Within this many blocks of the final head the follower reads in such short batches. */
const liveWindow = 1024;
/** Blocks behind the checkpoint whose hashes are kept to find a common ancestor after a reorg. */
const keptBlocks = 1024;

const lower = (value: unknown) => String(value).toLowerCase();
const titleOf = (description: string) =>
  (description.split('\n').find((line) => line.trim() !== '') ?? '')
    .replace(/^#+\s*/, '')
    .trim()
    .slice(0, 200);

/**
 * Follows the deployment's events up to head − confirmations, turning them into events for subscribers,
 * in batches that are stored whole with the checkpoint (number and hash). Before each poll it checks that
 * the checkpoint's block is still canonical; if a reorg replaced it, it rolls back to the newest stored
 * block that is, retracts every event above it (an `event.retracted` to each subscription that was sent
 * one), and reads the new blocks again.
 */
export function createFollower(options: FollowerOptions): Follower {
  const { db, client, deployment, confirmations, maxBlockRange, logger } = options;
  const { chainId } = deployment;
  const governor = deployment.contracts.governor;
  let ready = false;
  let stopped = false;
  let current: { number: number; hash: string } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeSleep: (() => void) | undefined;

  /** The canonical hash at a height, or undefined when the chain is not that long (after a reorg). */
  const hashAt = async (number: number) => {
    const block = await client.getBlock({ blockNumber: BigInt(number) }).catch((error: unknown) => {
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    });
    return block?.hash ?? undefined;
  };
  const blockAt = async (number: number) => {
    const block = await client.getBlock({ blockNumber: BigInt(number) });
    return {
      number,
      hash: block.hash!,
      parentHash: block.parentHash,
      timestamp: Number(block.timestamp),
    };
  };

  async function initialize(): Promise<void> {
    const [row] = await db.select().from(checkpoint).where(eq(checkpoint.id, 1));
    if (row) {
      if (row.chainId !== chainId || row.governor !== governor.toLowerCase()) {
        throw new ChainMismatchError(
          'the database follows another deployment: give this one its own --data-dir or database',
          {
            database: { chainId: row.chainId, governor: row.governor },
            deployment: { chainId, governor },
          },
        );
      }
      current = { number: row.blockNumber, hash: row.blockHash };
      return;
    }
    const start = Math.max(deployment.deploymentBlock - 1, 0);
    const block = await blockAt(start);
    await db.insert(checkpoint).values({
      id: 1,
      chainId,
      governor: governor.toLowerCase(),
      blockNumber: start,
      blockHash: block.hash,
    });
    current = { number: start, hash: block.hash };
  }

  /** Rolls back to the newest stored block still canonical, retracting what lay above it. */
  async function rollBack(): Promise<void> {
    const stored = await db.select().from(blocks).orderBy(desc(blocks.number));
    let ancestor: { number: number; hash: string } | undefined;
    for (const block of stored) {
      if (block.number > current!.number) continue;
      if ((await hashAt(block.number)) === block.hash) {
        ancestor = { number: block.number, hash: block.hash };
        break;
      }
    }
    if (!ancestor) {
      // Nothing stored is canonical any more (a chain reset): start again from the deployment.
      const start = Math.max(deployment.deploymentBlock - 1, 0);
      ancestor = { number: start, hash: (await blockAt(start)).hash };
    }
    const now = new Date();
    let retracted = 0;
    await db.transaction(async (tx) => {
      const removed = await tx
        .update(events)
        .set({ retractedAt: now })
        .where(and(gt(events.blockNumber, ancestor.number), isNull(events.retractedAt)))
        .returning({
          id: events.id,
          type: events.type,
          blockNumber: events.blockNumber,
          blockHash: events.blockHash,
        });
      retracted = removed.length;
      if (removed.length > 0) {
        const ids = removed.map((event) => event.id);
        // Not sent yet: never will be. Sent (or tried, and perhaps processed by a receiver that then
        // failed): the receiver hears of the retraction.
        await tx
          .update(deliveries)
          .set({
            status: 'failed',
            lastError: 'not sent: a reorg removed its block',
            nextAttemptAt: null,
          })
          .where(and(inArray(deliveries.eventId, ids), eq(deliveries.attempts, 0)));
        const tried = await tx
          .select({ eventId: deliveries.eventId, subscriptionId: deliveries.subscriptionId })
          .from(deliveries)
          .where(and(inArray(deliveries.eventId, ids), gt(deliveries.attempts, 0)));
        await tx
          .update(deliveries)
          .set({
            status: 'failed',
            lastError: 'stopped: a reorg removed its block',
            nextAttemptAt: null,
          })
          .where(
            and(
              inArray(deliveries.eventId, ids),
              inArray(deliveries.status, ['pending', 'retrying']),
            ),
          );
        for (const event of removed) {
          const to = tried.filter((d) => d.eventId === event.id).map((d) => d.subscriptionId);
          if (to.length === 0) continue;
          await recordEvent(
            tx,
            {
              id: derivedId('evt', 'retracted', event.id),
              type: 'event.retracted',
              chainId,
              block: null,
              tx: null,
              data: {
                retracts: event.id,
                type: event.type,
                block: { number: event.blockNumber, hash: event.blockHash },
                reason: `a reorg replaced the chain above block ${ancestor.number}`,
              },
            },
            { now, only: [...new Set(to)] },
          );
        }
      }
      await tx.delete(models).where(gt(models.blockNumber, ancestor.number));
      await tx.delete(results).where(gt(results.blockNumber, ancestor.number));
      await tx.delete(proposalStates).where(gt(proposalStates.blockNumber, ancestor.number));
      await tx.delete(blocks).where(gt(blocks.number, ancestor.number));
      await tx
        .update(checkpoint)
        .set({ blockNumber: ancestor.number, blockHash: ancestor.hash })
        .where(eq(checkpoint.id, 1));
    });
    logger.warn('reorg', { from: current, to: ancestor, retracted });
    current = ancestor;
    if (retracted > 0) options.onEvents();
  }

  /** The newest known state of each proposal not yet in a final state. */
  async function openProposals(): Promise<Map<string, string>> {
    const rows = await db
      .select({ proposalId: proposalStates.proposalId, state: proposalStates.state })
      .from(proposalStates)
      .orderBy(proposalStates.id);
    const latest = new Map<string, string>();
    for (const row of rows) latest.set(row.proposalId, row.state);
    for (const [id, state] of latest) if (finalStates.has(state)) latest.delete(id);
    return latest;
  }

  async function processBatch(from: number, to: number): Promise<void> {
    const [first, logs] = await Promise.all([
      blockAt(from),
      client.getLogs({
        address: followedAddresses(deployment),
        fromBlock: BigInt(from),
        toBlock: BigInt(to),
      }),
    ]);
    if (first.parentHash !== current!.hash) {
      throw new ChainMovedError('the checkpoint left the chain while a batch was read', { from });
    }
    const decoded = decodeEvents(deployment, logs);
    const headers = new Map<number, Awaited<ReturnType<typeof blockAt>>>([[from, first]]);
    for (const number of new Set([...decoded.map((log) => log.blockNumber), to])) {
      if (!headers.has(number)) headers.set(number, await blockAt(number));
    }
    for (const log of decoded) {
      if (headers.get(log.blockNumber)!.hash !== log.blockHash) {
        throw new ChainMovedError('a log came from a block that is no longer canonical', {
          block: log.blockNumber,
        });
      }
    }
    const end = headers.get(to)!;

    // Proposal states: from the events, and from the governor's own state() for those still open (time
    // moves pending → active → succeeded or defeated, queued → expired), read after each block of a
    // short batch; a long one (catching up) is read at its blocks with events and at its end.
    const open = await openProposals();
    const createdIn = new Map<string, number>();
    for (const log of decoded) {
      if (log.eventName === 'ProposalCreated')
        createdIn.set(String(log.args.proposalId), log.blockNumber);
    }
    const readAt =
      to - from < perBlockReads
        ? Array.from({ length: to - from + 1 }, (_, i) => from + i)
        : [...new Set([...decoded.map((log) => log.blockNumber), to])].sort((a, b) => a - b);
    const reads = new Map<number, Map<string, string>>();
    for (const number of readAt) {
      const ids = [
        ...open.keys(),
        ...[...createdIn].filter(([, block]) => block <= number).map(([id]) => id),
      ];
      if (ids.length === 0) continue;
      if (!headers.has(number)) headers.set(number, await blockAt(number));
      const states = new Map<string, string>();
      try {
        for (const id of ids) {
          const state = await client.readContract({
            address: governor,
            abi: charterGovernorAbi,
            functionName: 'state',
            args: [BigInt(id)],
            blockNumber: BigInt(number),
          });
          states.set(id, stateWords[state]!);
        }
      } catch (error) {
        // A node keeps the state of recent blocks only (a full node about 128; anvil restarted from its
        // state file, none before it): an older block's states are skipped, and a change is then seen at
        // the next block whose state is kept, at the latest the head. Any other failure retries the batch.
        if (number >= to || !stateNotKept(error)) throw error;
        logger.warn('state_not_kept', { block: number, to });
        continue;
      }
      reads.set(number, states);
    }
    if ((await blockAt(to)).hash !== end.hash) {
      throw new ChainMovedError('the batch’s last block changed while it was read', { block: to });
    }

    let recorded = 0;
    const now = new Date();
    await db.transaction(async (tx) => {
      const modelInfo = async (modelId: string) => {
        const [row] = await tx.select().from(models).where(eq(models.modelId, modelId));
        return row;
      };
      const record = async (event: Omit<NewEvent, 'chainId'>) => {
        if (await recordEvent(tx, { ...event, chainId }, { now })) recorded++;
      };
      const known = new Map(open);
      const setState = async (proposalId: string, state: string, blockNumber: number) => {
        await tx.insert(proposalStates).values({ proposalId, state, blockNumber });
        known.set(proposalId, state);
      };
      const handleLog = async (log: DecodedLog) => {
        const header = headers.get(log.blockNumber)!;
        const base = {
          id: derivedId('evt', chainId, log.blockHash, log.logIndex),
          block: { number: log.blockNumber, hash: log.blockHash, timestamp: header.timestamp },
          tx: log.transactionHash,
          logIndex: log.logIndex,
        };
        const a = log.args;
        const proposalId = a.proposalId === undefined ? '' : String(a.proposalId);
        const proposalUrl = `${options.publicUrl}/proposals/${proposalId}`;
        const stateChange = async (state: string, extra: Record<string, unknown> = {}) => {
          const previousState = known.get(proposalId) ?? null;
          await setState(proposalId, state, log.blockNumber);
          await record({
            ...base,
            type: 'proposal.state-changed',
            data: { proposalId, state, previousState, url: proposalUrl, ...extra },
          });
        };
        switch (log.eventName) {
          case 'ProposalCreated': {
            await setState(proposalId, 'pending', log.blockNumber);
            const description = String(a.description);
            await record({
              ...base,
              type: 'proposal.created',
              data: {
                proposalId,
                proposer: lower(a.proposer),
                title: titleOf(description),
                description,
                voteStart: String(a.voteStart),
                voteEnd: String(a.voteEnd),
                url: proposalUrl,
              },
            });
            break;
          }
          case 'ProposalQueued':
            await stateChange('queued', { etaSeconds: String(a.etaSeconds) });
            break;
          case 'ProposalExecuted':
            await stateChange('executed');
            break;
          case 'ProposalCanceled':
            await stateChange('canceled');
            break;
          case 'VoteCast':
          case 'VoteCastWithParams':
            await record({
              ...base,
              type: 'vote.cast',
              actor: lower(a.voter),
              data: {
                proposalId,
                voter: lower(a.voter),
                support: voteSupports[Number(a.support)] ?? String(a.support),
                weight: String(a.weight),
                reason: String(a.reason),
                url: proposalUrl,
              },
            });
            break;
          case 'ModelRegistered':
            await tx
              .insert(models)
              .values({
                modelId: lower(a.modelId),
                family: String(a.family),
                version: String(a.version),
                blockNumber: log.blockNumber,
              })
              .onConflictDoNothing();
            break;
          case 'ModelApproved':
          case 'ModelDeprecated':
          case 'ModelRevoked':
          case 'ModelSuspended': {
            const modelId = lower(a.modelId);
            const model = await modelInfo(modelId);
            const type = `model.${log.eventName.slice('Model'.length).toLowerCase()}` as EventType;
            await record({
              ...base,
              type,
              family: model?.family ?? null,
              data: {
                modelId,
                family: model?.family ?? null,
                version: model?.version ?? null,
                ...(a.policyId !== undefined && {
                  policyId: lower(a.policyId),
                  policyVersion: String(a.policyVersion),
                }),
                ...(a.reason !== undefined && { reason: String(a.reason) }),
                ...(a.until !== undefined && { until: Number(a.until) }),
                url: `${options.publicUrl}/models/${modelId}`,
              },
            });
            break;
          }
          case 'ResultSubmitted': {
            const modelId = lower(a.modelId);
            await tx
              .insert(results)
              .values({ resultId: lower(a.resultId), modelId, blockNumber: log.blockNumber })
              .onConflictDoNothing();
            const model = await modelInfo(modelId);
            await record({
              ...base,
              type: 'result.posted',
              family: model?.family ?? null,
              data: {
                resultId: lower(a.resultId),
                modelId,
                family: model?.family ?? null,
                version: model?.version ?? null,
                suiteId: lower(a.suiteId),
                evaluator: lower(a.evaluator),
                values: (a.values as bigint[]).map(String),
                reportDigest: lower(a.reportDigest),
                uri: String(a.uri),
                superseded: Boolean(a.superseded),
                url: `${options.publicUrl}/models/${modelId}`,
              },
            });
            break;
          }
          case 'ResultDisputed': {
            const resultId = lower(a.resultId);
            const [result] = await tx.select().from(results).where(eq(results.resultId, resultId));
            const model = result ? await modelInfo(result.modelId) : undefined;
            await record({
              ...base,
              type: 'result.disputed',
              family: model?.family ?? null,
              data: {
                disputeId: String(a.disputeId),
                resultId,
                modelId: result?.modelId ?? null,
                family: model?.family ?? null,
                version: model?.version ?? null,
                disputer: lower(a.disputer),
                evaluator: lower(a.evaluator),
                bond: String(a.bond),
                lapsesAt: Number(a.lapsesAt),
                url: result ? `${options.publicUrl}/models/${result.modelId}` : options.publicUrl,
              },
            });
            break;
          }
        }
      };
      const applyReads = async (number: number) => {
        const header = headers.get(number)!;
        for (const [proposalId, state] of reads.get(number) ?? []) {
          const previousState = known.get(proposalId);
          if (previousState === state) continue;
          await setState(proposalId, state, number);
          await record({
            id: derivedId('evt', chainId, header.hash, 'state', proposalId, state),
            type: 'proposal.state-changed',
            block: { number, hash: header.hash, timestamp: header.timestamp },
            tx: null,
            data: {
              proposalId,
              state,
              previousState: previousState ?? null,
              url: `${options.publicUrl}/proposals/${proposalId}`,
            },
          });
        }
      };
      let next = 0;
      for (const number of readAt) {
        while (next < decoded.length && decoded[next]!.blockNumber <= number) {
          await handleLog(decoded[next++]!);
        }
        await applyReads(number);
      }
      // Every block read here (each block with an event among them) is stored: after a reorg, nothing
      // above the newest one still canonical carried an event.
      await tx
        .insert(blocks)
        .values([...headers.values()].map(({ number, hash }) => ({ number, hash })))
        .onConflictDoUpdate({ target: blocks.number, set: { hash: sql`excluded.hash` } });
      await tx.delete(blocks).where(lt(blocks.number, to - keptBlocks));
      await tx
        .update(checkpoint)
        .set({ blockNumber: to, blockHash: end.hash })
        .where(eq(checkpoint.id, 1));
    });
    current = { number: to, hash: end.hash };
    if (recorded > 0) {
      logger.info('events', { from, to, recorded });
      options.onEvents();
    }
  }

  async function poll(): Promise<void> {
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    const final = head - confirmations;
    if ((await hashAt(current!.number)) !== current!.hash) await rollBack();
    while (!stopped && current!.number < final) {
      const from = current!.number + 1;
      // Near the head, short batches: every block's proposal states are read, so none is skipped.
      const range = final - current!.number <= liveWindow ? perBlockReads : maxBlockRange;
      const to = Math.min(final, from + range - 1);
      await processBatch(from, to);
      if (final - to > 0) logger.debug('progress', { block: to, final });
    }
    if (!ready) logger.info('caught_up', { block: current!.number, head });
    ready = true;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeSleep = resolve;
      timer = setTimeout(resolve, ms);
    });

  const done = (async () => {
    await initialize();
    let failures = 0;
    while (!stopped) {
      try {
        await poll();
        failures = 0;
        await sleep(options.pollingInterval);
      } catch (error) {
        if (error instanceof ChainMismatchError) throw error;
        failures++;
        logger.warn('poll_failed', { error, failures });
        await sleep(Math.min(options.pollingInterval * 2 ** Math.min(failures, 6), 30_000));
      }
    }
  })();

  return {
    get ready() {
      return ready;
    },
    get checkpoint() {
      return current;
    },
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wakeSleep?.();
      await done.catch(() => {});
    },
  };
}

/**
 * The node answered that it cannot serve that block's state (anvil: -32602 "BlockOutOfRangeError"; geth:
 * -32000 "missing trie node", "header not found"), rather than failing to answer.
 */
function stateNotKept(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk(
      (cause) =>
        (cause as { code?: unknown }).code === -32602 ||
        (cause as { code?: unknown }).code === -32000,
    ) !== null
  );
}
