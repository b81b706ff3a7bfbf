import { createHmac } from 'node:crypto';

import { action, charterGovernorAbi } from '@charter/contracts';
import { startTestChain, type TestChain } from '@charter/indexer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EventBody } from '../events/eventTypes';
import type { Notifier } from '../startNotifier';
import type { Delivery } from '../subscriptions/subscriptions';
import { startReceiver, type Receiver } from '../testing/receiver';
import { signIn } from '../testing/signIn';
import { notifierFor, waitFor } from '../testing/testChain';

let test: TestChain;
let notifier: Notifier;
let api: Awaited<ReturnType<typeof signIn>>;
let hook: Receiver;
let subscriptionId: string;
let secret: string;

beforeAll(async () => {
  test = await startTestChain();
  notifier = await notifierFor(test, { confirmations: 1 });
  await waitFor('the notifier to catch up', () => (notifier.follower.ready ? true : undefined));
  api = await signIn(notifier.url, test.keys[1]!, test.deployment.chainId);
  hook = await startReceiver();
  const response = await api('/subscriptions', {
    method: 'POST',
    body: JSON.stringify({ url: hook.url, events: ['proposal.created'] }),
  });
  ({
    subscription: { id: subscriptionId },
    secret,
  } = (await response.json()) as { subscription: { id: string }; secret: string });
});
afterAll(async () => {
  await notifier?.stop();
  await hook?.close();
  await test?.stop();
});

let proposals = 0;
async function createProposal(): Promise<bigint> {
  proposals++;
  const { governor } = test.deployment.contracts;
  return test.chain.propose(
    test.keys[0]!,
    [action(governor, charterGovernorAbi, 'setVotingDelay', [100 + proposals])],
    `# Reorg test ${proposals}`,
  );
}

const mine = async (blocks: number) => {
  for (let i = 0; i < blocks; i++) await test.rpc('evm_mine');
};

/** Waits until the notifier has processed every final block of the current chain (head − 1). */
async function waitForFinalHead(): Promise<void> {
  const head = Number(await test.chain.public.getBlockNumber({ cacheTime: 0 }));
  const { hash } = await test.chain.public.getBlock({ blockNumber: BigInt(head - 1) });
  await waitFor(`the notifier at block ${head - 1}`, () => {
    const at = notifier.follower.checkpoint;
    return at && at.number === head - 1 && at.hash === hash ? true : undefined;
  });
}

const deliveries = async () =>
  (
    (await (await api(`/subscriptions/${subscriptionId}/deliveries`)).json()) as {
      items: Delivery[];
    }
  ).items;
const bodies = () => hook.requests.map((request) => JSON.parse(request.raw) as EventBody);

describe('reorgs', () => {
  it('never sends an event whose block was reorged out before it was final', async () => {
    const snapshot = await test.rpc('evm_snapshot');
    const id = await createProposal();
    // The proposal's block is the head: with one confirmation it is not final yet.
    await waitForFinalHead();
    await test.rpc('evm_revert', [snapshot]);
    await mine(3);
    await waitForFinalHead();
    // Give the delivery worker time to act, were anything queued.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.requests).toHaveLength(0);
    expect(await deliveries()).toEqual([]);
    const feed = await (await fetch(`${notifier.url}/feeds/dao.atom`)).text();
    expect(feed).not.toContain(id.toString());
  });

  it('retracts an event already sent when a reorg deeper than the confirmations removes it', async () => {
    const snapshot = await test.rpc('evm_snapshot');
    const id = await createProposal();
    await mine(1);
    await waitFor('the proposal to be sent', () => hook.requests[0]);
    const [sent] = bodies();
    expect(sent).toMatchObject({ type: 'proposal.created', data: { proposalId: id.toString() } });

    await test.rpc('evm_revert', [snapshot]);
    await mine(4);
    await waitFor('the retraction', () => hook.requests[1]);
    const retraction = hook.requests[1]!;
    expect(retraction.headers['charter-event']).toBe('event.retracted');
    const t = /t=(\d+)/.exec(String(retraction.headers['charter-signature']))![1];
    const v1 = createHmac('sha256', secret).update(`${t}.${retraction.raw}`).digest('hex');
    expect(retraction.headers['charter-signature']).toBe(`t=${t},v1=${v1}`);
    expect(JSON.parse(retraction.raw)).toMatchObject({
      type: 'event.retracted',
      block: null,
      data: {
        retracts: sent!.id,
        type: 'proposal.created',
        block: { number: sent!.block!.number, hash: sent!.block!.hash },
      },
    });
    await waitForFinalHead();
    const log = await deliveries();
    expect(log.map((delivery) => [delivery.type, delivery.status])).toEqual([
      ['event.retracted', 'delivered'],
      ['proposal.created', 'delivered'],
    ]);
    const feed = await (await fetch(`${notifier.url}/feeds/dao.atom`)).text();
    expect(feed).not.toContain(id.toString());
    expect(hook.requests).toHaveLength(2);

    // The chain goes on: a proposal created on the new branch is sent as usual.
    const next = await createProposal();
    await mine(1);
    await waitFor('the next proposal', () => hook.requests[2]);
    expect(bodies()[2]).toMatchObject({
      type: 'proposal.created',
      data: { proposalId: next.toString() },
    });
  });
});
