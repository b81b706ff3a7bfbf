import type { Deployment } from '@charter/contracts';
import { proposalKindOf, ProposalState } from '@charter/contracts/protocol';
import { asc, eq } from 'drizzle-orm';

import type { Proposal, TimelineEntry } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { proposalActions, proposals } from '../../database/schema';
import { actionNames } from './actionNames';
import { describeAction } from './describeAction';
import { proposalColumnsAt, toProposalSummary, type ProposalRow } from './listProposals';
import { approvalVerdict, type ApprovalPins } from './modelEvidence';

const approveModel = proposalKindOf('modelRegistry', 'approve');
const resolveDispute = proposalKindOf('evidenceRegistry', 'resolveDispute');

/**
 * A proposal with its decoded actions, timeline and, when it approves a model, what the approval pins
 * against the chain now and the evidence against the family's policy.
 */
export async function getProposal(
  db: Database,
  deployment: Deployment,
  id: bigint,
  now: number,
): Promise<Proposal | undefined> {
  const [found] = await db
    .select(proposalColumnsAt(now))
    .from(proposals)
    .where(eq(proposals.id, id));
  if (!found) return undefined;
  const row = found as ProposalRow;
  const actions = await db
    .select()
    .from(proposalActions)
    .where(eq(proposalActions.proposalId, id))
    .orderBy(asc(proposalActions.index));
  // resolveDispute(disputeId, upheld) names a dispute by number: its words name the result it is about.
  const disputeIds = actions
    .filter((action) => action.kind === resolveDispute && action.args)
    .map((action) => String(action.args![0]));
  const names = await actionNames(
    db,
    actions.map((action) => action.args ?? []),
    disputeIds,
  );
  const targetName = (target: string) =>
    (Object.entries(deployment.contracts).find(
      ([, address]) => address.toLowerCase() === target,
    )?.[0] ?? null) as string | null;

  const approve = actions.find((action) => action.kind === approveModel);
  const verdict = approve?.args ? await approvalVerdict(db, approvalPins(approve.args), now) : null;

  return {
    ...toProposalSummary(row),
    description: row.description,
    createdBlock: row.createdBlock,
    createdTx: row.createdTx,
    actions: actions.map((action) => {
      const described = { ...action, targetName: targetName(action.target) };
      return {
        target: action.target,
        targetName: described.targetName,
        value: action.value.toString(),
        calldata: action.calldata,
        signature: action.signature,
        args: action.args,
        summary: describeAction(described, names),
      };
    }),
    timeline: proposalTimeline(row, now),
    approval: verdict?.approval ?? null,
    evidence: verdict?.evidence ?? null,
  };
}

/** The decoded arguments of `approve(modelId, policyId, policyVersion, expectedCurrent, expiresAt)`. */
const approvalPins = ([modelId, policyId, policyVersion, expectedCurrent, expiresAt]: unknown[]) =>
  ({
    modelId,
    policyId,
    policyVersion: Number(policyVersion),
    expectedCurrent,
    expiresAt: Number(expiresAt),
  }) as ApprovalPins;

/** What happened to a proposal, and when; voting opens and closes by the clock, without a transaction. */
export function proposalTimeline(row: ProposalRow, now: number): TimelineEntry[] {
  const timeline: TimelineEntry[] = [
    { event: 'created', at: row.createdAt, block: row.createdBlock, tx: row.createdTx },
  ];
  const canceledAt = row.canceled ? row.canceledAt! : Infinity;
  if (row.voteStart < now && row.voteStart < canceledAt) {
    timeline.push({ event: 'voting-opened', at: row.voteStart });
  }
  if (row.extendedAt !== null) {
    timeline.push({
      event: 'extended',
      at: row.extendedAt,
      block: row.extendedBlock!,
      tx: row.extendedTx!,
    });
  }
  if (row.voteEnd < now && row.voteEnd < canceledAt) {
    timeline.push({ event: 'voting-closed', at: row.voteEnd });
  }
  if (row.queuedAt !== null) {
    timeline.push({
      event: ProposalState.queued,
      at: row.queuedAt,
      block: row.queuedBlock!,
      tx: row.queuedTx!,
    });
  }
  if (row.executed) {
    timeline.push({
      event: ProposalState.executed,
      at: row.executedAt!,
      block: row.executedBlock!,
      tx: row.executedTx!,
    });
  }
  if (row.canceled) {
    timeline.push({
      event: ProposalState.canceled,
      at: row.canceledAt!,
      block: row.canceledBlock!,
      tx: row.canceledTx!,
    });
  }
  return timeline.sort((a, b) => a.at - b.at);
}
