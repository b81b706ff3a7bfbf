import { formatWad } from '@charter/contracts/protocol';
import { formatEther, keccak256, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { extendedBallotTypes, delegationTypes } from '@charter/contracts/protocol';

import { governorAbi, tokenAbi, type RelayerChain } from '../chain/createChain';
import { simulate, WouldRevert } from '../chain/simulate';
import { acceptedSince, getBallot, getSpending, insertBallot } from '../database/ballots';
import type { Database } from '../database/openDatabase';
import type { BallotRow } from '../database/schema';
import { BallotRefused } from '../errors';
import { encodeBallot } from './encodeBallot';
import type { DelegationBallot, SignedBallot, VoteBallot } from './types';

export interface AcceptContext {
  db: Database;
  chain: RelayerChain;
  budget: bigint;
  minVotingPower: bigint;
  /** Ballots per account per hour. */
  rateLimit: number;
  now?: () => number;
}

const hourMs = 3_600_000;
/** How many spent nonces to try when a vote signature does not recover with the current one. */
const replayLookback = 16n;

/**
 * The gates a ballot passes before the relayer takes it, cheapest first: not seen before (409), signed by
 * the account it names (401), not replayed or expired (422), within the account's rate limit (429), a call
 * that would succeed now (422, the decoded reason), enough voting power (403), and room in the budget
 * (503). Stores it as `queued` and returns it; nothing is sent here.
 */
export async function acceptBallot(
  context: AcceptContext,
  ballot: SignedBallot,
): Promise<BallotRow> {
  const { db, chain } = context;
  const now = context.now?.() ?? Date.now();
  const id = keccak256(ballot.signature);
  const existing = await getBallot(db, id);
  if (existing) throw duplicate(id);

  const account = ballot.kind === 'vote' ? ballot.voter : ballot.delegator;
  const nonce =
    ballot.kind === 'vote'
      ? await checkVoteSigner(chain, ballot)
      : await checkDelegation(chain, ballot);

  const recent = await acceptedSince(db, account, now - hourMs);
  if (recent.length >= context.rateLimit) {
    const retryAfter = Math.max(1, Math.ceil((recent[0]! + hourMs - now) / 1000));
    throw new BallotRefused(
      429,
      'rate_limited',
      `${account} has sent ${recent.length} ballots within the last hour; the limit is ${context.rateLimit}. Try again in ${retryAfter} s.`,
      {},
      retryAfter,
    );
  }

  const call = encodeBallot(chain, ballot);
  let gas: bigint;
  try {
    gas = await simulate(chain, call);
  } catch (error) {
    if (error instanceof WouldRevert) throw wouldRevert(error.reason, error.message);
    throw error;
  }

  await checkVotingPower(context, ballot);

  const fees = await chain.client.estimateFeesPerGas();
  const reserve = gas * fees.maxFeePerGas;
  const { spent, reserved } = await getSpending(db);
  if (spent + reserved + reserve > context.budget) {
    throw new BallotRefused(
      503,
      'budget_exhausted',
      `The relayer's gas budget is spent: ${formatEther(spent)} ETH paid and ${formatEther(reserved)} ETH held for ballots in the queue, of ${formatEther(context.budget)} ETH; this ballot needs up to ${formatEther(reserve)} ETH more. Vote or delegate with your own transaction instead.`,
    );
  }
  const balance = await chain.client.getBalance({ address: chain.account.address });
  if (balance < reserved + reserve) {
    throw new BallotRefused(
      503,
      'budget_exhausted',
      `The relayer's account holds ${formatEther(balance)} ETH, too little for the ballots queued and this one. Vote or delegate with your own transaction instead.`,
    );
  }

  const row: BallotRow = {
    id,
    kind: ballot.kind,
    account,
    proposalId: ballot.kind === 'vote' ? ballot.proposalId : null,
    support: ballot.kind === 'vote' ? ballot.support : null,
    reason: ballot.kind === 'vote' ? ballot.reason : null,
    params: ballot.kind === 'vote' ? ballot.params : null,
    delegatee: ballot.kind === 'delegation' ? ballot.delegatee : null,
    nonce,
    expiry: ballot.kind === 'delegation' ? Number(ballot.expiry) : null,
    signature: ballot.signature,
    status: 'queued',
    reserved: reserve,
    txNonce: null,
    rawTx: null,
    txHash: null,
    replacedTxHashes: [],
    broadcastAt: null,
    block: null,
    cost: null,
    errorName: null,
    error: null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertBallot(db, row))) throw duplicate(id);
  return row;
}

const duplicate = (id: Hex) =>
  new BallotRefused(409, 'duplicate', 'This signature was already accepted; the ballot is here.', {
    id,
  });

const wouldRevert = (reason: string, message: string) =>
  new BallotRefused(422, 'would_revert', message, { reason });

/**
 * The vote must recover to the voter with the governor's current nonce for them. A signature that
 * recovers with a spent nonce is a replay: the governor would refuse it (GovernorInvalidSignature).
 */
async function checkVoteSigner(chain: RelayerChain, ballot: VoteBallot): Promise<bigint> {
  const current = await chain.client.readContract({
    address: chain.governor,
    abi: governorAbi,
    functionName: 'nonces',
    args: [ballot.voter],
  });
  const signerAt = (nonce: bigint) =>
    recoverVote(chain, ballot, nonce).catch(() => undefined as Address | undefined);
  if (same(await signerAt(current), ballot.voter)) return current;
  for (let nonce = current - 1n; nonce >= 0n && nonce >= current - replayLookback; nonce--) {
    if (same(await signerAt(nonce), ballot.voter)) {
      throw wouldRevert(
        'GovernorInvalidSignature',
        `This vote signature was already used (a replay): it was signed with ${ballot.voter}'s nonce ${nonce}, and the governor is at ${current}. Sign the vote again.`,
      );
    }
  }
  throw new BallotRefused(
    401,
    'wrong_signer',
    `The signature is not ${ballot.voter}'s for this vote (proposal, support, reason and params as given, nonce ${current}).`,
  );
}

function recoverVote(chain: RelayerChain, ballot: VoteBallot, nonce: bigint) {
  return recoverTypedDataAddress({
    domain: chain.domains.governor,
    types: extendedBallotTypes,
    primaryType: 'ExtendedBallot',
    message: {
      proposalId: ballot.proposalId,
      support: ballot.support,
      voter: ballot.voter,
      nonce,
      reason: ballot.reason,
      params: ballot.params,
    },
    signature: ballot.signature,
  });
}

/** The delegation must recover to the delegator, with its current nonce and an expiry still ahead. */
async function checkDelegation(chain: RelayerChain, ballot: DelegationBallot): Promise<bigint> {
  const signer = await recoverTypedDataAddress({
    domain: chain.domains.token,
    types: delegationTypes,
    primaryType: 'Delegation',
    message: { delegatee: ballot.delegatee, nonce: ballot.nonce, expiry: ballot.expiry },
    signature: ballot.signature,
  }).catch(() => undefined);
  if (!same(signer, ballot.delegator)) {
    throw new BallotRefused(
      401,
      'wrong_signer',
      `The signature is not ${ballot.delegator}'s for this delegation (delegatee, nonce and expiry as given).`,
    );
  }
  const [current, block] = await Promise.all([
    chain.client.readContract({
      address: chain.token,
      abi: tokenAbi,
      functionName: 'nonces',
      args: [ballot.delegator],
    }),
    chain.client.getBlock(),
  ]);
  if (ballot.nonce < current) {
    throw wouldRevert(
      'InvalidAccountNonce',
      `This delegation signature was already used (a replay): its nonce ${ballot.nonce} is spent, and ${ballot.delegator}'s nonce is ${current}. Sign the delegation again.`,
    );
  }
  if (ballot.nonce > current) {
    throw wouldRevert(
      'InvalidAccountNonce',
      `This delegation is signed with nonce ${ballot.nonce}, but ${ballot.delegator}'s nonce is ${current}. Sign it again with nonce ${current}.`,
    );
  }
  if (ballot.expiry <= block.timestamp) {
    throw wouldRevert(
      'VotesExpiredSignature',
      `The delegation signature expired at ${new Date(Number(ballot.expiry) * 1000).toISOString()}; the chain's clock reads ${new Date(Number(block.timestamp) * 1000).toISOString()}. Sign it again.`,
    );
  }
  return current;
}

/** A voter's votes at the proposal's snapshot, or a delegator's token balance, against the minimum. */
async function checkVotingPower(context: AcceptContext, ballot: SignedBallot): Promise<void> {
  const { chain } = context;
  let power: bigint;
  let what: string;
  if (ballot.kind === 'vote') {
    const snapshot = await chain.client.readContract({
      address: chain.governor,
      abi: governorAbi,
      functionName: 'proposalSnapshot',
      args: [ballot.proposalId],
    });
    power = await chain.client.readContract({
      address: chain.governor,
      abi: governorAbi,
      functionName: 'getVotes',
      args: [ballot.voter, snapshot],
    });
    what = `${ballot.voter} had ${formatWad(power, 2)} votes at the proposal's snapshot`;
  } else {
    power = await chain.client.readContract({
      address: chain.token,
      abi: tokenAbi,
      functionName: 'balanceOf',
      args: [ballot.delegator],
    });
    what = `${ballot.delegator} holds ${formatWad(power, 2)} tokens`;
  }
  if (power < context.minVotingPower) {
    throw new BallotRefused(
      403,
      'too_little_voting_power',
      `${what}; the relayer pays only for accounts with at least ${formatWad(context.minVotingPower, 2)}. Send the transaction yourself instead.`,
    );
  }
}

const same = (a: string | undefined, b: string) =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();
