// Votes and delegations without gas: the connected account signs the governor's ExtendedBallot or the token's
// Delegation (EIP-712, with the domain each contract reports under ERC-5267), the web server passes it to the
// relayer (/api/relayer), and the relayer sends it and pays. The ballot is followed in the page's
// transactions panel: signing, queued, sent, mined, indexed, or the relayer's refusal in its own words.
import { invalidateAll } from '$app/navigation';
import { charterGovernorAbi, charterTokenAbi } from '@charter/contracts/abis';
import {
  delegationTypes,
  extendedBallotTypes,
  readEip712Domain,
  voteSupports,
  type VoteSupport,
} from '@charter/contracts/protocol';
import type { Address, Hex } from 'viem';

import { describeError } from '$lib/errors';
import { indexedAt } from '$lib/live.svelte';
import { reader, signTyped, type Sent } from './session';
import { settleTransaction, trackTransaction, wallet, type TxEntry } from './state.svelte';

/** What the relayer accepts at `POST /ballots`: uint256 as decimal strings, addresses lowercase. */
export type BallotRequest =
  | {
      kind: 'vote';
      proposalId: string;
      support: number;
      voter: string;
      reason: string;
      params: Hex;
      signature: Hex;
    }
  | {
      kind: 'delegation';
      delegator: string;
      delegatee: string;
      nonce: string;
      expiry: string;
      signature: Hex;
    };

/** A ballot as the relayer reports it (`GET /ballots/:id`). */
export interface Ballot {
  id: Hex;
  kind: 'vote' | 'delegation';
  account: string;
  status: 'queued' | 'sent' | 'mined' | 'indexed' | 'failed';
  txHash?: Hex;
  block?: number;
  /** Why it failed, in words. */
  error?: string;
}

/** How long a signed delegation stays valid: the relayer sends it within seconds unless it is refused. */
export const DELEGATION_VALIDITY_S = 60 * 60;

/** How often the ballot's status is asked, and for how long before the page says it may lag. */
const POLL_MS = 500;
const FOLLOW_MS = 180_000;

function signer(): Address {
  if (!wallet.account) throw new Error('Connect a wallet first.');
  return wallet.account;
}

/** Signs a vote with its reason for the relayer (OpenZeppelin 5's `castVoteWithReasonAndParamsBySig`). */
export async function signVote(
  governor: string,
  proposalId: string,
  support: VoteSupport,
  reason: string,
): Promise<BallotRequest> {
  const voter = signer();
  const client = reader();
  const address = governor as Address;
  const [domain, nonce] = await Promise.all([
    readEip712Domain(client, address),
    client.readContract({
      address,
      abi: charterGovernorAbi,
      functionName: 'nonces',
      args: [voter],
    }),
  ]);
  const message = {
    proposalId: BigInt(proposalId),
    support: voteSupports.indexOf(support),
    voter,
    nonce,
    reason,
    params: '0x' as Hex,
  };
  const signature = await signTyped({
    domain,
    types: extendedBallotTypes,
    primaryType: 'ExtendedBallot',
    message,
  });
  return {
    kind: 'vote',
    proposalId,
    support: message.support,
    voter: voter.toLowerCase(),
    reason,
    params: message.params,
    signature,
  };
}

/** Signs a delegation of the connected account's votes for the relayer (ERC20Votes' `delegateBySig`). */
export async function signDelegation(token: string, delegatee: string): Promise<BallotRequest> {
  const delegator = signer();
  const client = reader();
  const address = token as Address;
  const [domain, nonce, block] = await Promise.all([
    readEip712Domain(client, address),
    client.readContract({
      address,
      abi: charterTokenAbi,
      functionName: 'nonces',
      args: [delegator],
    }),
    client.getBlock(),
  ]);
  // From the chain's clock, not the computer's: a dev chain's time runs ahead of it.
  const expiry = block.timestamp + BigInt(DELEGATION_VALIDITY_S);
  const signature = await signTyped({
    domain,
    types: delegationTypes,
    primaryType: 'Delegation',
    message: { delegatee: delegatee as Address, nonce, expiry },
  });
  return {
    kind: 'delegation',
    delegator: delegator.toLowerCase(),
    delegatee: delegatee.toLowerCase(),
    nonce: nonce.toString(),
    expiry: expiry.toString(),
    signature,
  };
}

/** The relayer's answer when it is not a ballot: a refusal with its words, or a proxy's failure. */
async function refusal(response: Response): Promise<{ message: string; id?: Hex }> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: string; error?: string; id?: Hex };
    return {
      message: body.message ?? body.error ?? `The relayer answered ${response.status}.`,
      id: body.id,
    };
  } catch {
    return { message: text.trim() || `The relayer answered ${response.status}.` };
  }
}

/** Hands a signed ballot to the relayer; returns its id, or throws with the relayer's refusal in words. */
export async function submitBallot(ballot: BallotRequest): Promise<Hex> {
  const response = await fetch('/api/relayer/ballots', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ballot),
  });
  if (response.ok) return ((await response.json()) as Ballot).id;
  const { message, id } = await refusal(response);
  // The same signature was accepted before: follow that ballot rather than failing.
  if (response.status === 409 && id) return id;
  throw new Error(message);
}

/** The relayer's view of a ballot now. */
export async function ballotStatus(id: Hex): Promise<Ballot> {
  const response = await fetch(`/api/relayer/ballots/${id}`, { cache: 'no-store' });
  if (!response.ok) throw new Error((await refusal(response)).message);
  return (await response.json()) as Ballot;
}

// Apart from the ids of transactions the page sends itself (session.ts counts from 1).
let nextId = 1_000_000;

const wait = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Signs with `sign`, hands the ballot to the relayer and follows it in the transactions panel until the
 * indexer has it. Resolves once it is mined (`ok`) or refused or failed (not `ok`, the reason shown).
 */
export async function relay(label: string, sign: () => Promise<BallotRequest>): Promise<Sent> {
  const entry: TxEntry = trackTransaction({ id: nextId++, label, step: 'signing', relayed: true });
  const failed = (error: string): Sent => {
    entry.step = 'failed';
    entry.error = error;
    return { ok: false, indexed: Promise.resolve(false) };
  };
  let id: Hex;
  try {
    id = await submitBallot(await sign());
  } catch (error) {
    return failed(describeError(error));
  }
  entry.step = 'queued';
  const until = Date.now() + FOLLOW_MS;
  let ballot: Ballot | undefined;
  // Until mined: the form waits for this.
  while (Date.now() < until) {
    try {
      ballot = await ballotStatus(id);
    } catch {
      // The relayer or the web server blinked: ask again.
    }
    if (ballot?.txHash) entry.hash = ballot.txHash;
    if (ballot?.status === 'failed')
      return failed(ballot.error ?? 'The relayer could not send it.');
    if (ballot?.status === 'sent') entry.step = 'pending';
    if (ballot?.status === 'mined' || ballot?.status === 'indexed') break;
    await wait(POLL_MS);
  }
  if (ballot?.status !== 'mined' && ballot?.status !== 'indexed') {
    return failed('The relayer did not send it in time; it may still go through.');
  }
  entry.step = 'mined';
  if (ballot.block !== undefined) entry.block = ballot.block;
  let current: Ballot = ballot;
  const indexed = (async () => {
    while (current.status !== 'indexed' && Date.now() < until) {
      await wait(POLL_MS);
      try {
        current = await ballotStatus(id);
      } catch {
        // ask again
      }
    }
    // The relayer's indexer has it; this page's stream (and so the web server's caches) too, before reloading.
    const done =
      current.status === 'indexed' && (entry.block === undefined || (await indexedAt(entry.block)));
    entry.step = 'indexed';
    entry.notIndexed = !done;
    await invalidateAll();
    settleTransaction(entry.id);
    return done;
  })();
  return { ok: true, indexed };
}
