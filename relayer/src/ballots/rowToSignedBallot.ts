import type { BallotRow } from '../database/schema';
import type { SignedBallot } from './types';

/** The signed ballot a stored row carries. */
export function rowToSignedBallot(row: BallotRow): SignedBallot {
  if (row.kind === 'vote') {
    return {
      kind: 'vote',
      proposalId: row.proposalId!,
      support: row.support as 0 | 1 | 2,
      voter: row.account,
      reason: row.reason ?? '',
      params: row.params ?? '0x',
      signature: row.signature,
    };
  }
  return {
    kind: 'delegation',
    delegator: row.account,
    delegatee: row.delegatee!,
    nonce: row.nonce,
    expiry: BigInt(row.expiry!),
    signature: row.signature,
  };
}
