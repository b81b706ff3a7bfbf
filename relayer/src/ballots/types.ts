import type { Address, Hex } from 'viem';

export interface VoteBallot {
  kind: 'vote';
  proposalId: bigint;
  support: 0 | 1 | 2;
  voter: Address;
  reason: string;
  params: Hex;
  signature: Hex;
}

export interface DelegationBallot {
  kind: 'delegation';
  delegator: Address;
  delegatee: Address;
  nonce: bigint;
  expiry: bigint;
  signature: Hex;
}

export type SignedBallot = VoteBallot | DelegationBallot;

/** A ballot as the API reports it (`GET /ballots/:id`). */
export interface Ballot {
  id: Hex;
  kind: 'vote' | 'delegation';
  account: Address;
  proposalId?: string;
  support?: number;
  delegatee?: Address;
  status: 'queued' | 'sent' | 'mined' | 'indexed' | 'failed';
  txHash?: Hex;
  block?: number;
  /** The decoded revert's name, for a failed ballot. */
  errorName?: string;
  /** Why it failed, in words. */
  error?: string;
  createdAt: string;
  updatedAt: string;
}
