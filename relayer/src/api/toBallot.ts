import type { Ballot } from '../ballots/types';
import type { BallotRow } from '../database/schema';

/** A stored ballot as the API reports it. */
export function toBallot(row: BallotRow): Ballot {
  return {
    id: row.id,
    kind: row.kind,
    account: row.account,
    ...(row.kind === 'vote'
      ? { proposalId: row.proposalId!.toString(), support: row.support! }
      : { delegatee: row.delegatee! }),
    status: row.status,
    ...(row.txHash ? { txHash: row.txHash } : {}),
    ...(row.block !== null ? { block: row.block } : {}),
    ...(row.errorName ? { errorName: row.errorName } : {}),
    ...(row.error ? { error: row.error } : {}),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
