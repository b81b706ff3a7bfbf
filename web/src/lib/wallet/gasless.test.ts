// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';

import { live } from '$lib/live.svelte';
import { relay, type Ballot, type BallotRequest } from './gasless';
import { transactions } from './state.svelte';

const id = `0x${'1f'.repeat(32)}` as const;
const txHash = `0x${'2e'.repeat(32)}` as const;
const ballot: BallotRequest = {
  kind: 'delegation',
  delegator: `0x${'ab'.repeat(20)}`,
  delegatee: `0x${'ab'.repeat(20)}`,
  nonce: '0',
  expiry: '1700003600',
  signature: `0x${'99'.repeat(65)}`,
};

/**
 * The relayer as the web server passes it on: `post` answers the ballot, then each status request gets the
 * next of `statuses` (the last one repeats).
 */
function relayer(post: { status: number; body: unknown }, statuses: Ballot['status'][] = []) {
  const requests: { url: string; method: string; body?: string; step?: string }[] = [];
  let asked = 0;
  vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) => {
    requests.push({
      url,
      method: init.method ?? 'GET',
      body: init.body as string | undefined,
      // What the panel showed when the page asked.
      step: transactions[0]?.step,
    });
    if (init.method === 'POST') {
      return Promise.resolve(new Response(JSON.stringify(post.body), { status: post.status }));
    }
    const status = statuses[Math.min(asked++, statuses.length - 1)]!;
    const sent = status !== 'queued';
    const mined = status === 'mined' || status === 'indexed';
    const body: Ballot = {
      id,
      kind: 'delegation',
      account: ballot.kind === 'delegation' ? ballot.delegator : '',
      status,
      ...(sent ? { txHash } : {}),
      ...(mined ? { block: 40 } : {}),
    };
    return Promise.resolve(new Response(JSON.stringify(body)));
  });
  return requests;
}

afterEach(() => {
  vi.unstubAllGlobals();
  transactions.length = 0;
});

describe('relay', () => {
  it('follows an accepted ballot through queued, sent, mined and indexed in the transactions panel', async () => {
    live.indexedBlock = 40;
    const requests = relayer({ status: 202, body: { id, status: 'queued' } }, [
      'queued',
      'sent',
      'mined',
      'indexed',
    ]);
    const sent = await relay('Delegate to yourself (no gas)', async () => ballot);
    const entry = transactions[0]!;
    expect(sent.ok).toBe(true);
    expect(entry.step).toBe('mined');
    expect(await sent.indexed).toBe(true);
    expect(entry).toMatchObject({ relayed: true, step: 'indexed', hash: txHash, block: 40 });
    expect(requests[0]).toMatchObject({
      url: '/api/relayer/ballots',
      method: 'POST',
      body: JSON.stringify(ballot),
      step: 'signing',
    });
    const polls = requests.slice(1);
    expect(polls.every((r) => r.url === `/api/relayer/ballots/${id}`)).toBe(true);
    // Each status the relayer reported showed before the next was asked for.
    expect(polls.map((r) => r.step)).toEqual(['queued', 'queued', 'pending', 'mined']);
  }, 20_000);

  it("shows the relayer's refusal in its words, and asks nothing more", async () => {
    const message = 'The proposal is not active: voting closed at block 12.';
    const requests = relayer({
      status: 422,
      body: { error: 'would_revert', reason: 'GovernorUnexpectedProposalState', message },
    });
    const sent = await relay('Vote for (no gas)', async () => ballot);
    expect(sent.ok).toBe(false);
    expect(transactions[0]).toMatchObject({ step: 'failed', error: message, relayed: true });
    expect(requests).toHaveLength(1);
  });

  it('follows the ballot the relayer already accepted when the same signature comes again', async () => {
    live.indexedBlock = 40;
    relayer({ status: 409, body: { error: 'duplicate', id, message: 'Already accepted.' } }, [
      'indexed',
    ]);
    const sent = await relay('Vote for (no gas)', async () => ballot);
    expect(sent.ok).toBe(true);
    expect(transactions[0]).toMatchObject({ hash: txHash, block: 40 });
  });

  it('shows a ballot that failed after it was queued as failed, with why', async () => {
    vi.stubGlobal('fetch', (_url: string, init: RequestInit = {}) =>
      Promise.resolve(
        new Response(
          JSON.stringify(
            init.method === 'POST'
              ? { id, status: 'queued' }
              : { id, status: 'failed', error: 'The signature expired at 1700003600.' },
          ),
          { status: init.method === 'POST' ? 202 : 200 },
        ),
      ),
    );
    const sent = await relay('Delegate to yourself (no gas)', async () => ballot);
    expect(sent.ok).toBe(false);
    expect(transactions[0]).toMatchObject({
      step: 'failed',
      error: 'The signature expired at 1700003600.',
    });
  });

  it('fails before asking the relayer when the wallet refuses to sign', async () => {
    const requests = relayer({ status: 202, body: { id } });
    const sent = await relay('Vote for (no gas)', () =>
      Promise.reject(Object.assign(new Error('User rejected'), { code: 4001 })),
    );
    expect(sent.ok).toBe(false);
    expect(transactions[0]!.error).toBe('You rejected the request in your wallet.');
    expect(requests).toHaveLength(0);
  });
});
