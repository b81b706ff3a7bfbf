// The shared cache under load: readers hammer a proposal page (its HTML and its `__data.json`) while votes
// arrive and empty blocks are mined, and a reorg (anvil snapshot and revert) takes a vote back. Whatever
// the cache serves must be what the indexer had at the block the page names, and no request that starts
// after this server's stream announced a block may show an older tally.
import { action, anvilPrivateKey, DevChain, modelRegistryAbi } from '@charter/contracts';
import { readServerSentEvents } from '@charter/indexer/client';
import { expect, test } from '@playwright/test';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { stack } from './stackInfo';

const READERS = 8;
const VOTERS = 5;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** What one reader's request showed. */
interface Sample {
  /** The highest block this server's stream had announced when the request started (after a reorg: since it). */
  announced: number;
  /** Reorgs announced when the request started, and when its answer was in. */
  reorgs: number;
  reorgsAtEnd: number;
  /** The votes the page counts, from its data. */
  voteCount: number;
  /** The block the page says its data was read at. */
  pageBlock: number;
  cache: string;
}

/** The browser's view of this server's `/stream`: the blocks it announced, and the reorgs among them. */
function followStream(webUrl: string) {
  const state = { announced: 0, reorgs: 0, announcedAt: new Map<number, number>() };
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(`${webUrl}/stream`, { signal: controller.signal });
    await readServerSentEvents(response.body!, (event, data) => {
      if (event !== 'block') return;
      const { number } = JSON.parse(data) as { number: number };
      if (number < state.announced) state.reorgs++;
      state.announced = number < state.announced ? number : Math.max(state.announced, number);
      state.announcedAt.set(number, Date.now());
    });
  })().catch(() => {});
  return { state, stop: () => (controller.abort(), done) };
}

test('readers of a cached proposal page see each vote, never an older tally once its block is announced, and a reorg takes it back', async () => {
  test.setTimeout(240_000);
  const { webUrl, rpcUrl, deployment, models } = stack();
  const chain = new DevChain(rpcUrl, deployment);
  const deployer = anvilPrivateKey(0);

  // Voters of our own (anvil's accounts past the ten it funds), each with tokens delegated to itself.
  const voters: Hex[] = Array.from({ length: VOTERS + 1 }, (_, i) => anvilPrivateKey(20 + i));
  for (const key of voters) {
    await chain.confirm(
      chain.wallet(deployer).sendTransaction({
        to: privateKeyToAccount(key).address,
        value: parseEther('1'),
      }),
    );
    await chain.fund(deployer, key, parseEther('1000'));
  }
  const id = await chain.propose(
    anvilPrivateKey(1),
    [action(deployment.contracts.modelRegistry, modelRegistryAbi, 'deprecate', [models.v1 as Hex])],
    `# Deprecate mail-guard v1 (cache test ${Date.now()})\n\nA proposal for readers to hammer.`,
  );
  await chain.openVoting(id);
  const page = `${webUrl}/proposals/${id}`;

  const stream = followStream(webUrl);
  await expect.poll(() => stream.state.announced, { timeout: 15_000 }).toBeGreaterThan(0);

  // Readers: each asks again as soon as it has an answer, alternately for the HTML and the data.
  const samples: Sample[] = [];
  let reading = true;
  const read = async (asData: boolean): Promise<Sample> => {
    const { announced, reorgs } = stream.state;
    const response = await fetch(asData ? `${page}/__data.json` : page);
    const text = await response.text();
    expect(response.status, text.slice(0, 200)).toBe(200);
    // The page's data (devalue: `voteCount:3` in the HTML's script; an index into a table in the JSON).
    const voteCount = asData ? dataVoteCount(text) : Number(/voteCount:(\d+)/.exec(text)?.[1]);
    return {
      announced,
      reorgs,
      reorgsAtEnd: stream.state.reorgs,
      voteCount,
      pageBlock: Number(response.headers.get('x-charter-indexed-block') ?? NaN),
      cache: response.headers.get('x-charter-cache') ?? 'none',
    };
  };
  const readers = Array.from({ length: READERS }, async (_, r) => {
    for (let n = 0; reading; n++) samples.push(await read((n + r) % 2 === 1));
  });

  /** Votes counted at each block: what a page read at that block must show. */
  const countAt = new Map<number, number>();
  const blockNumber = async () => Number(await rpc(rpcUrl, 'eth_blockNumber'));
  countAt.set(await blockNumber(), 0);
  /** Per vote, from its receipt (viem polls for it, so the block can be announced first): announced, shown. */
  const latencies: { announced: number; shown: number }[] = [];
  const seen = (count: number) => samples.some((s) => s.voteCount >= count);

  for (let i = 0; i < VOTERS; i++) {
    await chain.vote(voters[i]!, id, 1, `cached reader test vote ${i}`);
    const receiptAt = Date.now();
    const block = await blockNumber();
    countAt.set(block, i + 1);
    await expect.poll(() => seen(i + 1), { timeout: 15_000, intervals: [20] }).toBe(true);
    const shownAt = Date.now();
    await expect.poll(() => stream.state.announcedAt.has(block), { timeout: 15_000 }).toBe(true);
    latencies.push({
      announced: stream.state.announcedAt.get(block)! - receiptAt,
      shown: shownAt - receiptAt,
    });
    // A block with nothing in it: the page's data moves to it without changing.
    await rpc(rpcUrl, 'evm_mine');
    countAt.set(block + 1, i + 1);
  }

  // A reorg: a vote mined, seen, then taken back by reverting to a snapshot and mining other blocks.
  const beforeReorg = (await rpc(rpcUrl, 'evm_snapshot')) as string;
  await chain.vote(voters[VOTERS]!, id, 0, 'a vote the chain forgets');
  countAt.set(await blockNumber(), VOTERS + 1);
  await expect.poll(() => seen(VOTERS + 1), { timeout: 15_000, intervals: [20] }).toBe(true);
  const reorgsBefore = stream.state.reorgs;
  await rpc(rpcUrl, 'evm_revert', [beforeReorg]);
  await expect.poll(() => stream.state.reorgs, { timeout: 15_000 }).toBeGreaterThan(reorgsBefore);
  for (let i = 0; i < 3; i++) await rpc(rpcUrl, 'evm_mine');
  const settled = await blockNumber();
  await expect.poll(() => stream.state.announced, { timeout: 15_000 }).toBe(settled);
  await new Promise((resolve) => setTimeout(resolve, 500));
  reading = false;
  await Promise.all(readers);
  await stream.stop();

  // A request that started before the reorg was announced may be answered after: either side is right.
  const beforeIt = samples.filter((s) => s.reorgsAtEnd === reorgsBefore);
  const afterIt = samples.filter((s) => s.reorgs > reorgsBefore);
  console.log(
    `${samples.length} reads (${samples.filter((s) => s.cache === 'hit').length} from the cache, ` +
      `${afterIt.length} after the reorg was announced); each vote's receipt → announced on the stream → ` +
      `first reader showing it: ${latencies.map((l) => `${l.announced} → ${l.shown} ms`).join(', ')}`,
  );
  expect(samples.filter((s) => s.cache === 'hit').length).toBeGreaterThan(samples.length / 2);
  /** The votes the chain had counted at `block` before the reorg. */
  const expected = (block: number) =>
    Math.max(0, ...[...countAt].filter(([b]) => b <= block).map(([, count]) => count));
  for (const sample of beforeIt) {
    const at = JSON.stringify(sample);
    // Never older than what the stream had announced when the request started…
    expect(sample.pageBlock, at).toBeGreaterThanOrEqual(sample.announced);
    expect(sample.voteCount, at).toBeGreaterThanOrEqual(expected(sample.announced));
    // …and at least what the chain had at the block the page names: the cache labels it right.
    expect(sample.voteCount, at).toBeGreaterThanOrEqual(expected(sample.pageBlock));
    expect(sample.voteCount, at).toBeLessThanOrEqual(VOTERS + 1);
  }
  // Once the reorg is announced, no reader sees the vote the chain forgot.
  expect(afterIt.length).toBeGreaterThan(0);
  for (const sample of afterIt) {
    expect(sample.voteCount, JSON.stringify(sample)).toBe(VOTERS);
    expect(sample.pageBlock).toBeGreaterThanOrEqual(sample.announced);
  }
});

/** `voteCount` from a `__data.json`: devalue's flat form, where an object's values are indexes into it. */
function dataVoteCount(text: string): number {
  const { nodes } = JSON.parse(text) as { nodes: ({ data?: unknown[] } | null)[] };
  for (const node of nodes) {
    const data = node?.data;
    if (!data) continue;
    for (const value of data) {
      if (value && typeof value === 'object' && 'voteCount' in value) {
        return data[(value as { voteCount: number }).voteCount] as number;
      }
    }
  }
  return NaN;
}
