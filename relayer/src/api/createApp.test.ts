import { charterGovernorAbi, charterTokenAbi } from '@charter/contracts';
import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Ballot } from '../ballots/types';
import type { Relayer } from '../startRelayer';
import { activeProposal, signDelegation, signVote, votesCast } from '../testing/testChain';
import { get, post, relayTestChain, testDataDir, waitForBallot } from '../testing/testRelayer';

let test: TestChain;
let relayer: Relayer;
let data: ReturnType<typeof testDataDir>;

beforeAll(async () => {
  test = await startTestChain();
  data = testDataDir();
  relayer = await relayTestChain(test, data.dataDir);
});

afterAll(async () => {
  await relayer?.stop();
  data?.drop();
  await test?.stop();
});

/** The relayer's transactions so far: what "nothing sent" is measured by. */
const relayerNonce = () =>
  test.chain.public.getTransactionCount({ address: test.address('relayer') });

describe('gasless votes', () => {
  it('casts a signed vote with its reason, mined once, and reports each status', async () => {
    const proposalId = await activeProposal(test);
    const ballot = await signVote(test, test.key('alice'), {
      proposalId,
      support: 1,
      reason: 'Evidence meets the policy.',
    });
    const accepted = await post(relayer, ballot);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({
      kind: 'vote',
      account: test.address('alice'),
      proposalId: proposalId.toString(),
      support: 1,
      status: 'queued',
    });
    const mined = await waitForBallot(
      relayer,
      String(accepted.body.id),
      (b) => b.status === 'mined',
    );
    expect(mined.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const casts = await votesCast(test, proposalId, test.address('alice'));
    expect(casts).toHaveLength(1);
    expect(casts[0]!.args).toMatchObject({ support: 1, reason: 'Evidence meets the policy.' });
    expect(casts[0]!.transactionHash).toBe(mined.txHash);
    const tx = await test.chain.public.getTransaction({ hash: mined.txHash! });
    expect(tx.from.toLowerCase()).toBe(test.address('relayer'));
    const { body: listed } = await get<{ items: Ballot[] }>(
      relayer,
      `/ballots?account=${test.address('alice')}`,
    );
    expect(listed.items.map((b) => b.id)).toContain(accepted.body.id);
    const { body: status } = await get(relayer, '/status');
    expect(status.relayer).toBe(test.address('relayer'));
    expect(BigInt(String(status.spent))).toBeGreaterThan(0n);
  });

  it('refuses a signature that is not the voter’s (401), sending nothing', async () => {
    const proposalId = await activeProposal(test);
    const signed = await signVote(test, test.key('bob'), { proposalId, support: 0 });
    const before = await relayerNonce();
    const answer = await post(relayer, { ...signed, voter: test.address('alice') });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('wrong_signer');
    // A reason changed after signing is a different message: the signature no longer recovers.
    const tampered = await post(relayer, { ...signed, reason: 'changed' });
    expect(tampered.status).toBe(401);
    expect(await relayerNonce()).toBe(before);
  });

  it('returns the same ballot for a signature sent twice (409), and refuses a replay on chain (422)', async () => {
    const proposalId = await activeProposal(test);
    const signed = await signVote(test, test.key('bob'), { proposalId, support: 2 });
    const first = await post(relayer, signed);
    expect(first.status).toBe(202);
    const again = await post(relayer, signed);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'duplicate', id: first.body.id });
    await waitForBallot(relayer, String(first.body.id), (b) => b.status === 'mined');
    expect(await votesCast(test, proposalId, test.address('bob'))).toHaveLength(1);

    // The same vote for another proposal, signed with the nonce the first one spent: a replay.
    const other = await activeProposal(test);
    const replay = await signVote(test, test.key('bob'), {
      proposalId: other,
      support: 2,
      nonce: 0n,
    });
    const before = await relayerNonce();
    const refused = await post(relayer, replay);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: 'would_revert',
      reason: 'GovernorInvalidSignature',
    });
    expect(String(refused.body.message)).toMatch(/already used/);
    expect(await relayerNonce()).toBe(before);
  });

  it('refuses a vote on a proposal that is not active, with the reason in words (422)', async () => {
    const proposalId = await activeProposal(test);
    await test.chain.closeVoting(proposalId);
    const signed = await signVote(test, test.key('alice'), { proposalId, support: 1 });
    const before = await relayerNonce();
    const answer = await post(relayer, signed);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      error: 'would_revert',
      reason: 'GovernorUnexpectedProposalState',
    });
    expect(String(answer.body.message)).toMatch(/Active/i);
    expect(await relayerNonce()).toBe(before);
  });

  it('refuses a voter with too little voting power (403)', async () => {
    const proposalId = await activeProposal(test);
    const signed = await signVote(test, test.key('stranger'), { proposalId, support: 1 });
    const before = await relayerNonce();
    const answer = await post(relayer, signed);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('too_little_voting_power');
    expect(await relayerNonce()).toBe(before);
  });

  it('answers malformed fields with a 400 naming the field', async () => {
    const answer = await post(relayer, { kind: 'vote', proposalId: '1', support: 7 });
    expect(answer).toMatchObject({
      status: 400,
      body: { error: 'bad_request', parameter: 'support' },
    });
    const kind = await post(relayer, { kind: 'transfer' });
    expect(kind.body).toMatchObject({ parameter: 'kind' });
    const id = await get(relayer, '/ballots/0x1234');
    expect(id).toMatchObject({ status: 400, body: { parameter: 'id' } });
  });
});

describe('gasless delegation', () => {
  it('delegates by signature: the delegatee gains the votes', async () => {
    const bobVotes = () =>
      test.chain.public.readContract({
        address: test.deployment.contracts.token,
        abi: charterTokenAbi,
        functionName: 'getVotes',
        args: [test.address('bob')],
      });
    const before = await bobVotes();
    const signed = await signDelegation(test, test.key('alice'), test.address('bob'));
    const accepted = await post(relayer, signed);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ kind: 'delegation', delegatee: test.address('bob') });
    await waitForBallot(relayer, String(accepted.body.id), (b) => b.status === 'mined');
    const delegate = await test.chain.public.readContract({
      address: test.deployment.contracts.token,
      abi: charterTokenAbi,
      functionName: 'delegates',
      args: [test.address('alice')],
    });
    expect(delegate.toLowerCase()).toBe(test.address('bob'));
    expect((await bobVotes()) - before).toBe(10_000n * 10n ** 18n);

    // Sent again under another id (the same delegation re-signed with the spent nonce): a replay.
    const replay = await signDelegation(test, test.key('alice'), test.address('carol'), {
      nonce: 0n,
    });
    const refused = await post(relayer, replay);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ reason: 'InvalidAccountNonce' });
  });

  it('refuses an expired delegation and a wrong signer, sending nothing', async () => {
    const now = await test.chain.now();
    const expired = await signDelegation(test, test.key('bob'), test.address('alice'), {
      expiry: now - 1n,
    });
    const before = await relayerNonce();
    const answer = await post(relayer, expired);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: 'would_revert', reason: 'VotesExpiredSignature' });
    expect(String(answer.body.message)).toMatch(/expired/);
    const signed = await signDelegation(test, test.key('bob'), test.address('alice'));
    const wrong = await post(relayer, { ...signed, delegator: test.address('alice') });
    expect(wrong.status).toBe(401);
    const stranger = await signDelegation(test, test.key('stranger'), test.address('alice'));
    expect((await post(relayer, stranger)).status).toBe(403);
    expect(await relayerNonce()).toBe(before);
  });
});

describe('anti-spam gates', () => {
  it('limits ballots per account per hour (429 with Retry-After)', async () => {
    const limited = testDataDir();
    const strict = await relayTestChain(test, limited.dataDir, { rateLimit: 1 });
    try {
      const first = await post(
        strict,
        await signVote(test, test.key('bob'), {
          proposalId: await activeProposal(test),
          support: 1,
        }),
      );
      expect(first.status).toBe(202);
      await waitForBallot(strict, String(first.body.id), (b) => b.status === 'mined');
      const before = await relayerNonce();
      const second = await post(
        strict,
        await signVote(test, test.key('bob'), {
          proposalId: await activeProposal(test),
          support: 1,
        }),
      );
      expect(second.status).toBe(429);
      expect(second.body.error).toBe('rate_limited');
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(3000);
      expect(await relayerNonce()).toBe(before);
    } finally {
      await strict.stop();
      limited.drop();
    }
  });
});

describe('the governor', () => {
  it('counts relayed votes like any other', async () => {
    const proposalId = await activeProposal(test);
    const ballot = await post(
      relayer,
      await signVote(test, test.key('bob'), { proposalId, support: 1 }),
    );
    await waitForBallot(relayer, String(ballot.body.id), (b) => b.status === 'mined');
    const [, forVotes] = await test.chain.public.readContract({
      address: test.deployment.contracts.governor,
      abi: charterGovernorAbi,
      functionName: 'proposalVotes',
      args: [proposalId],
    });
    expect(forVotes).toBeGreaterThan(0n);
  });
});
