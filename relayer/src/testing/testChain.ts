import { charterGovernorAbi, charterTokenAbi } from '@charter/contracts';
import {
  delegationTypes,
  extendedBallotTypes,
  readEip712Domain,
} from '@charter/contracts/protocol';
import type { TestChain } from '@charter/indexer/testing';
import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

// The one the indexer's and the notifier's tests use too.
export { activeProposal } from '@charter/indexer/testing';

/** What a wallet signs to vote by signature, with the governor's current nonce for the voter. */
export async function signVote(
  test: TestChain,
  voterKey: Hex,
  vote: { proposalId: bigint; support: 0 | 1 | 2; reason?: string; nonce?: bigint },
) {
  const voter = privateKeyToAccount(voterKey);
  const { governor } = test.deployment.contracts;
  const domain = await readEip712Domain(test.chain.public, governor);
  const nonce =
    vote.nonce ??
    (await test.chain.public.readContract({
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'nonces',
      args: [voter.address],
    }));
  const reason = vote.reason ?? '';
  const signature = await voter.signTypedData({
    domain,
    types: extendedBallotTypes,
    primaryType: 'ExtendedBallot',
    message: {
      proposalId: vote.proposalId,
      support: vote.support,
      voter: voter.address,
      nonce,
      reason,
      params: '0x',
    },
  });
  return {
    kind: 'vote' as const,
    proposalId: vote.proposalId.toString(),
    support: vote.support,
    voter: voter.address.toLowerCase(),
    reason,
    params: '0x',
    signature,
  };
}

/** What a wallet signs to delegate by signature; expires in an hour of chain time unless told. */
export async function signDelegation(
  test: TestChain,
  delegatorKey: Hex,
  delegatee: Address,
  options: { expiry?: bigint; nonce?: bigint } = {},
) {
  const delegator = privateKeyToAccount(delegatorKey);
  const { token } = test.deployment.contracts;
  const domain = await readEip712Domain(test.chain.public, token);
  const nonce =
    options.nonce ??
    (await test.chain.public.readContract({
      address: token,
      abi: charterTokenAbi,
      functionName: 'nonces',
      args: [delegator.address],
    }));
  const expiry = options.expiry ?? (await test.chain.now()) + 3600n;
  const signature = await delegator.signTypedData({
    domain,
    types: delegationTypes,
    primaryType: 'Delegation',
    message: { delegatee, nonce, expiry },
  });
  return {
    kind: 'delegation' as const,
    delegator: delegator.address.toLowerCase(),
    delegatee: delegatee.toLowerCase(),
    nonce: nonce.toString(),
    expiry: expiry.toString(),
    signature,
  };
}

/** VoteCast events for a proposal and voter: how many times the chain counted the vote. */
export async function votesCast(test: TestChain, proposalId: bigint, voter: Address) {
  const logs = await test.chain.public.getContractEvents({
    address: test.deployment.contracts.governor,
    abi: charterGovernorAbi,
    eventName: 'VoteCast',
    args: { voter },
    fromBlock: 0n,
  });
  return logs.filter((log) => log.args.proposalId === proposalId);
}
