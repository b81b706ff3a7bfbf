import { index, integer, pgTable, smallint, text } from 'drizzle-orm/pg-core';

import { hex, int64, uint256 } from './columns';

/** What the API reports; `sent` covers a transaction signed and stored, broadcast or about to be. */
export const ballotStatuses = ['queued', 'sent', 'mined', 'indexed', 'failed'] as const;
export type BallotStatus = (typeof ballotStatuses)[number];
export const ballotKinds = ['vote', 'delegation'] as const;
export type BallotKind = (typeof ballotKinds)[number];

/**
 * One signed vote or delegation and the transaction that carries it. The signed transaction is stored
 * before it is broadcast, so that after a restart the relayer broadcasts the same bytes again (same hash:
 * it cannot land twice) instead of signing a second one.
 */
export const ballots = pgTable(
  'ballots',
  {
    /** keccak256 of the signature. */
    id: hex('id').primaryKey(),
    kind: text('kind').$type<BallotKind>().notNull(),
    /** The voter or the delegator. */
    account: hex('account').notNull(),
    proposalId: uint256('proposal_id'),
    support: smallint('support'),
    reason: text('reason'),
    params: hex('params'),
    delegatee: hex('delegatee'),
    /** The signer's nonce the signature covers (the governor's for a vote, the token's for a delegation). */
    nonce: uint256('nonce').notNull(),
    /** A delegation's expiry, unix seconds. */
    expiry: int64('expiry'),
    signature: hex('signature').notNull(),
    status: text('status').$type<BallotStatus>().notNull(),
    /** Wei set aside from the budget while the ballot is not mined: gas limit × max fee per gas. */
    reserved: uint256('reserved').notNull(),
    /** The relayer account's nonce for the transaction. */
    txNonce: integer('tx_nonce'),
    rawTx: hex('raw_tx'),
    txHash: hex('tx_hash'),
    /** Hashes of earlier transactions for this ballot with the same nonce, replaced by a higher fee: any
     * one of them (never two, as they share the nonce) may be the one mined. */
    replacedTxHashes: text('replaced_tx_hashes')
      .array()
      .$type<`0x${string}`[]>()
      .notNull()
      .default([]),
    /** When the stored transaction was last handed to the node (ms); null: signed, never broadcast. */
    broadcastAt: int64('broadcast_at'),
    block: int64('block'),
    /** Wei the mined transaction cost: gas used × effective gas price. */
    cost: uint256('cost'),
    /** The decoded revert's name, for a failed ballot. */
    errorName: text('error_name'),
    error: text('error'),
    createdAt: int64('created_at').notNull(),
    updatedAt: int64('updated_at').notNull(),
  },
  (t) => [
    index('ballots_account_created_idx').on(t.account, t.createdAt),
    index('ballots_status_created_idx').on(t.status, t.createdAt),
    index('ballots_tx_hash_idx').on(t.txHash),
  ],
);

export type BallotRow = typeof ballots.$inferSelect;
