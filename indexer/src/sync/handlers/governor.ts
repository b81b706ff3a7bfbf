import type { charterGovernorAbi } from '@charter/contracts';
import {
  descriptionHash,
  timelockOperationId,
  VoteSupport,
  voteSupports,
} from '@charter/contracts/protocol';
import { sql } from 'drizzle-orm';
import type { Hex } from 'viem';

import {
  accounts,
  governance,
  proposalActions,
  proposals,
  timelockOperations,
  votes,
} from '../../database/schema';
import { decodeAction } from '../decodeAction';
import { account, governanceRow, isZeroAddress, type Handlers } from './context';

/** The first line of the description, without markdown heading marks. */
export const proposalTitle = (description: string): string =>
  (description.split('\n').find((line) => line.trim()) ?? '')
    .replace(/^#+\s*/, '')
    .trim()
    .slice(0, 200);

export const governorHandlers: Handlers<typeof charterGovernorAbi> = {
  async ProposalCreated(args, { store, event, deployment }) {
    const { proposalId, proposer, targets, calldatas, voteStart, voteEnd, description } = args;
    const { totalSupply, quorumNumerator, quorumDenominator } = await governanceRow(store);
    const actions = targets.map((target, index) => {
      const calldata = calldatas[index]!;
      const decoded = decodeAction(deployment, target, calldata);
      return store.set(proposalActions, {
        proposalId,
        index,
        target,
        value: args.values[index]!,
        calldata,
        kind: decoded.kind,
        signature: decoded.signature,
        args: decoded.args,
      });
    });
    store.set(proposals, {
      id: proposalId,
      proposer,
      title: proposalTitle(description),
      description,
      descriptionHash: descriptionHash(description),
      kinds: [...new Set(actions.map((action) => action.kind))],
      actionCount: actions.length,
      createdAt: event.at,
      createdBlock: event.block,
      createdLogIndex: event.logIndex,
      createdTx: event.tx,
      voteStart: Number(voteStart),
      scheduledEnd: Number(voteEnd),
      voteEnd: Number(voteEnd),
      extendedAt: null,
      extendedBlock: null,
      extendedTx: null,
      quorum: (totalSupply * quorumNumerator) / quorumDenominator,
      forVotes: 0n,
      againstVotes: 0n,
      abstainVotes: 0n,
      voteCount: 0,
      eta: null,
      queuedAt: null,
      queuedBlock: null,
      queuedTx: null,
      executed: false,
      executedAt: null,
      executedBlock: null,
      executedTx: null,
      canceled: false,
      canceledAt: null,
      canceledBlock: null,
      canceledTx: null,
    });
  },

  async VoteCast(args, ctx) {
    await castVote({ ...args, params: '0x' }, ctx);
  },

  async VoteCastWithParams(args, ctx) {
    await castVote(args, ctx);
  },

  async ProposalExtended({ proposalId, extendedDeadline }, { store, event }) {
    await store.update(proposals, { id: proposalId }, (row) => ({
      voteEnd: Math.max(row.voteEnd, Number(extendedDeadline)),
      extendedAt: event.at,
      extendedBlock: event.block,
      extendedTx: event.tx,
    }));
  },

  async ProposalQueued({ proposalId, etaSeconds }, { store, event, deployment }) {
    const proposal = await store.update(
      proposals,
      { id: proposalId },
      {
        eta: Number(etaSeconds),
        queuedAt: event.at,
        queuedBlock: event.block,
        queuedTx: event.tx,
      },
    );
    const actions = await Promise.all(
      Array.from({ length: proposal.actionCount }, (_, index) =>
        store.get(proposalActions, { proposalId, index }),
      ),
    );
    const id = timelockOperationId(
      deployment.contracts.governor,
      actions.map((action) => action.target),
      actions.map((action) => action.value),
      actions.map((action) => action.calldata),
      proposal.descriptionHash,
    );
    store.set(timelockOperations, { id, proposalId });
  },

  async ProposalExecuted({ proposalId }, { store, event }) {
    const proposal = await store.get(proposals, { id: proposalId });
    if (proposal.executed) return; // already seen through the timelock's CallExecuted
    store.set(proposals, {
      ...proposal,
      executed: true,
      executedAt: event.at,
      executedBlock: event.block,
      executedTx: event.tx,
    });
  },

  async ProposalCanceled({ proposalId }, { store, event }) {
    const proposal = await store.get(proposals, { id: proposalId });
    if (proposal.canceled) return;
    store.set(proposals, {
      ...proposal,
      canceled: true,
      canceledAt: event.at,
      canceledBlock: event.block,
      canceledTx: event.tx,
    });
  },

  async QuorumNumeratorUpdated({ newQuorumNumerator }, { store, event }) {
    const row = await store.update(governance, { id: 1 }, { quorumNumerator: newQuorumNumerator });
    // The governor checkpoints the numerator at this timestamp: proposals whose snapshot is not yet
    // past count their quorum with the new one.
    await store.flush();
    const quorum = (row.totalSupply * newQuorumNumerator) / row.quorumDenominator;
    await store
      .database()
      .update(proposals)
      .set({ quorum })
      .where(sql`${proposals.voteStart} >= ${event.at}`);
    store.forget(proposals);
  },

  async VotingDelaySet({ newVotingDelay }, { store }) {
    await store.update(governance, { id: 1 }, { votingDelay: Number(newVotingDelay) });
  },

  async VotingPeriodSet({ newVotingPeriod }, { store }) {
    await store.update(governance, { id: 1 }, { votingPeriod: Number(newVotingPeriod) });
  },

  async ProposalThresholdSet({ newProposalThreshold }, { store }) {
    await store.update(governance, { id: 1 }, { proposalThreshold: newProposalThreshold });
  },

  async LateQuorumVoteExtensionSet({ newVoteExtension }, { store }) {
    await store.update(
      governance,
      { id: 1 },
      { lateQuorumVoteExtension: Number(newVoteExtension) },
    );
  },

  async ProposalGuardianSet({ newProposalGuardian }, { store }) {
    await store.update(
      governance,
      { id: 1 },
      { proposalGuardian: isZeroAddress(newProposalGuardian) ? null : newProposalGuardian },
    );
  },

  async GuardianTermSet({ newTermEnd }, { store }) {
    await store.update(governance, { id: 1 }, { guardianTermEnd: Number(newTermEnd) });
  },
};

async function castVote(
  args: {
    voter: Hex;
    proposalId: bigint;
    support: number;
    weight: bigint;
    reason: string;
    params: Hex;
  },
  { store, event }: Parameters<NonNullable<(typeof governorHandlers)['VoteCast']>>[1],
) {
  const { voter, proposalId, support, weight, reason, params } = args;
  store.set(votes, {
    proposalId,
    voter,
    support,
    weight,
    reason,
    params,
    block: event.block,
    logIndex: event.logIndex,
    tx: event.tx,
    at: event.at,
  });
  await store.update(proposals, { id: proposalId }, (row) => ({
    againstVotes: row.againstVotes + (voteSupports[support] === VoteSupport.against ? weight : 0n),
    forVotes: row.forVotes + (voteSupports[support] === VoteSupport.for ? weight : 0n),
    abstainVotes: row.abstainVotes + (voteSupports[support] === VoteSupport.abstain ? weight : 0n),
    voteCount: row.voteCount + 1,
  }));
  const voterRow = await account(store, voter);
  store.set(accounts, { ...voterRow, votesCast: voterRow.votesCast + 1 });
}
