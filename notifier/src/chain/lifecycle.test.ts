import { approvalAction, modelRegistryAbi } from '@charter/contracts';
import { devAccountNames } from '@charter/contracts/dev-accounts';
import {
  disputeResult,
  modelDigest,
  setUpEvidence,
  startTestChain,
  submitResult,
  type TestChain,
} from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EventBody } from '../events/eventTypes';
import type { Notifier } from '../startNotifier';
import { startReceiver, type Receiver } from '../testing/receiver';
import { signIn } from '../testing/signIn';
import { notifierFor, testPublicUrl, waitFor } from '../testing/testChain';
import { chainEventTypes } from '../events/eventTypes';

let test: TestChain;
let notifier: Notifier;
let follower: Receiver;
let everything: Receiver;
let otherFamily: Receiver;
let approvalId: bigint;
const v1 = modelDigest('v1');
const v2 = modelDigest('v2');

const subscribe = async (api: Awaited<ReturnType<typeof signIn>>, body: object) => {
  const response = await api('/subscriptions', { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(201);
};

beforeAll(async () => {
  test = await startTestChain();
  notifier = await notifierFor(test);
  await waitFor('the notifier to catch up', () => (notifier.follower.ready ? true : undefined));
  const api = await signIn(notifier.url, test.keys[1]!, test.deployment.chainId);
  [follower, everything, otherFamily] = await Promise.all([
    startReceiver(),
    startReceiver(),
    startReceiver(),
  ]);
  await subscribe(api, {
    url: follower.url,
    events: [...chainEventTypes],
    delegates: [test.address(3)],
    families: ['mail-guard'],
  });
  await subscribe(api, { url: everything.url, events: [...chainEventTypes] });
  await subscribe(api, {
    url: otherFamily.url,
    events: ['model.approved', 'result.posted', 'vote.cast'],
    families: ['other-family'],
    delegates: [test.address(2)],
  });

  await setUpEvidence(test);
  await submitResult(test, 4, v1, '0.95', '0.02');
  await submitResult(test, 5, v1, '0.93', '0.01');
  await submitResult(test, 4, v2, '0.91', '0.03', 'v2-report');
  await disputeResult(test, 5, 4, v2, 'v2-report');
  approvalId = await test.chain.govern(
    test.keys[0]!,
    [test.keys[0]!, test.keys[3]!],
    [await approvalAction(test.chain, v1)],
    '# Approve mail-guard v1\n\nIt meets mail-safety.',
  );
  // The security council (the proposal guardian) suspends it.
  await test.chain.send(test.keys[devAccountNames.indexOf('security council')]!, {
    address: test.deployment.contracts.modelRegistry,
    abi: modelRegistryAbi,
    functionName: 'suspend',
    args: [v1, 'a bad sample in production'],
  });
});
afterAll(async () => {
  await notifier?.stop();
  await Promise.all([follower, everything, otherFamily].map((receiver) => receiver?.close()));
  await test?.stop();
});

const bodies = (receiver: Receiver) =>
  receiver.requests.map((request) => JSON.parse(request.raw) as EventBody);

describe('events from a governed approval', () => {
  it('sends model.approved for the family, with its version and a link to the model page', async () => {
    const approved = await waitFor('model.approved', () =>
      bodies(follower).find((body) => body.type === 'model.approved'),
    );
    expect(approved.data).toMatchObject({
      modelId: v1,
      family: 'mail-guard',
      version: 'v1',
      url: `${testPublicUrl}/models/${v1}`,
    });
    const block = await test.chain.public.getBlock({ blockNumber: BigInt(approved.block!.number) });
    expect(approved.block!.hash).toBe(block.hash);
  });

  it('sends model.suspended with the reason and the end of the suspension', async () => {
    const suspended = await waitFor('model.suspended', () =>
      bodies(follower).find((body) => body.type === 'model.suspended'),
    );
    expect(suspended.data).toMatchObject({
      modelId: v1,
      family: 'mail-guard',
      version: 'v1',
      reason: 'a bad sample in production',
    });
    expect(suspended.data.until).toBeGreaterThan(suspended.block!.timestamp);
  });

  it('follows the governor’s state of a proposal, from its own state() where time moves it', async () => {
    await waitFor('the approval executed', () =>
      bodies(everything).find(
        (body) =>
          body.type === 'proposal.state-changed' &&
          body.data.proposalId === approvalId.toString() &&
          body.data.state === 'executed',
      ),
    );
    const changes = bodies(everything).filter(
      (body) =>
        body.type === 'proposal.state-changed' && body.data.proposalId === approvalId.toString(),
    );
    expect(changes.map((body) => body.data.state)).toEqual([
      'active',
      'succeeded',
      'queued',
      'executed',
    ]);
    expect(changes.map((body) => body.data.previousState)).toEqual([
      'pending',
      'active',
      'succeeded',
      'queued',
    ]);
    // Time-derived states carry no transaction; queued and executed come from the governor's events.
    expect(changes.map((body) => body.tx === null)).toEqual([true, true, false, false]);
  });

  it('sends votes only by followed delegates, and family events only for followed families', async () => {
    await waitFor('the approval executed', () =>
      bodies(follower).find(
        (body) =>
          body.type === 'proposal.state-changed' &&
          body.data.state === 'executed' &&
          body.data.proposalId === approvalId.toString(),
      ),
    );
    const votes = bodies(follower).filter((body) => body.type === 'vote.cast');
    expect(votes.map((body) => body.data.voter)).toEqual([test.address(3)]);
    expect(votes[0]!.data).toMatchObject({ proposalId: approvalId.toString(), support: 'for' });
    expect(bodies(everything).filter((body) => body.type === 'vote.cast').length).toBe(4);

    const posted = bodies(follower).filter((body) => body.type === 'result.posted');
    expect(posted.map((body) => [body.data.family, body.data.version])).toEqual([
      ['mail-guard', 'v1'],
      ['mail-guard', 'v1'],
      ['mail-guard', 'v2'],
    ]);
    const disputed = bodies(follower).find((body) => body.type === 'result.disputed');
    expect(disputed!.data).toMatchObject({
      modelId: v2,
      family: 'mail-guard',
      version: 'v2',
      evaluator: test.address(4),
      disputer: test.address(5),
    });
    expect(otherFamily.requests).toHaveLength(0);

    const feed = await (await fetch(`${notifier.url}/feeds/families/mail-guard.atom`)).text();
    expect(feed).toContain('mail-guard v1 approved');
    expect(feed).toContain(`${testPublicUrl}/models/${v1}`);
  });
});
