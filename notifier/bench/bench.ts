/**
 * `npm run bench -w notifier`: the notifier on anvil (mining on demand) with Charter deployed, its database
 * in PGlite on disk and its settings the defaults `npm start` uses (polling chosen from the chain: 100 ms
 * on a node that mines on demand; 8 webhook requests in flight).
 *
 *   npm run bench -w notifier [-- --events 20 --subscriptions 1,10,50 --json out.json]
 *
 * For each number of subscriptions (the first, 1, is the baseline), that many webhook receivers on
 * loopback, each subscribed to `vote.cast` (the event a DAO has most of: one per vote, no setup between
 * them), spread over the dev accounts so that no address passes its cap. Then `--events` votes on one
 * proposal, each by a voter of its own, one at a time: each timed from its receipt (as this process first
 * sees it, polling every 5 ms after sending) to the arrival of each subscription's webhook, counted only
 * if its `Charter-Signature` verifies with that subscription's secret (`verifySignature`). The next vote
 * goes once every subscription has the last one, after a pause of 0–200 ms (spread evenly, so that the
 * votes do not all meet the notifier's polling at the same phase). Deliveries per second: the subscriptions ÷ the time from
 * the receipt to the last of them, median over the events. The subscriptions are deleted after their row
 * (the per-host cap counts them all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { charterGovernorAbi, charterTokenAbi } from '@charter/contracts';
import { activeProposal, startTestChain, type TestChain } from '@charter/indexer/testing';
import { encodeFunctionData, keccak256, parseEther, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { defaultConfig, defaultRetrySchedule } from '../src/config/config';
import { verifySignature } from '../src/delivery/signature';
import type { EventBody } from '../src/events/eventTypes';
import { startReceiver, type Receiver } from '../src/testing/receiver';
import { signIn } from '../src/testing/signIn';
import { notifierFor } from '../src/testing/testChain';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20' },
    subscriptions: { type: 'string', default: '1,10,50' },
    json: { type: 'string' },
  },
});
const eventCount = Number(values.events);
const subscriptionCounts = values.subscriptions.split(',').map(Number);
const args = process.argv.slice(2);
const command = ['npm run bench -w notifier', ...(args.length ? ['--', ...args] : [])].join(' ');

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const median = (values: number[]) => percentile(values, 50);
/** The i-th of a sequence spread evenly over [0, 1) (golden ratio): phases without a random seed. */
const spread = (i: number) => (i * 0.6180339887) % 1;
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

interface EventTiming {
  tx: Hex;
  /** ms from the receipt to each subscription's verified webhook, in arrival order. */
  deliveries: number[];
}
interface Row {
  subscriptions: number;
  events: EventTiming[];
  /** Webhooks of these events whose signature did not verify (not counted in `deliveries`). */
  unverified: number;
}

/**
 * `count` voters with 10 tokens each, delegated to themselves, and ETH for their own votes. anvil sends
 * for them (impersonation) with automine off, and mines the lot in full blocks.
 */
async function fundVoters(test: TestChain, count: number): Promise<Hex[]> {
  const { token } = test.deployment.contracts;
  const deployer = test.address(0);
  const keys = Array.from({ length: count }, (_, i) =>
    keccak256(toHex(`notifier bench voter ${i}`)),
  );
  const send = (from: Hex, data: Hex) =>
    test.rpc('eth_sendTransaction', [{ from, to: token, data, gas: toHex(200_000) }]);
  await test.rpc('evm_setAutomine', [false]);
  await test.rpc('anvil_autoImpersonateAccount', [true]);
  try {
    for (const key of keys) {
      const voter = privateKeyToAccount(key).address;
      await test.rpc('anvil_setBalance', [voter, toHex(parseEther('1'))]);
      await send(
        deployer,
        encodeFunctionData({
          abi: charterTokenAbi,
          functionName: 'transfer',
          args: [voter, parseEther('10')],
        }),
      );
      await send(
        voter,
        encodeFunctionData({ abi: charterTokenAbi, functionName: 'delegate', args: [voter] }),
      );
    }
    for (;;) {
      const { pending } = (await test.rpc('txpool_status')) as { pending: Hex };
      if (Number(pending) === 0) break;
      await test.rpc('evm_mine');
    }
  } finally {
    await test.rpc('anvil_autoImpersonateAccount', [false]);
    await test.rpc('evm_setAutomine', [true]);
  }
  const last = privateKeyToAccount(keys.at(-1)!).address;
  const votes = await test.chain.public.readContract({
    address: token,
    abi: charterTokenAbi,
    functionName: 'getVotes',
    args: [last],
  });
  if (votes !== parseEther('10'))
    throw new Error(`voter ${last} has ${votes} votes, not 10 tokens`);
  return keys;
}

/** Sends the vote and returns its hash and the moment its receipt was first seen. */
async function vote(test: TestChain, key: Hex, proposalId: bigint) {
  const hash = await test.chain.wallet(key).sendTransaction({
    to: test.deployment.contracts.governor,
    data: encodeFunctionData({
      abi: charterGovernorAbi,
      functionName: 'castVote',
      args: [proposalId, 1],
    }),
    gas: 300_000n,
  });
  for (;;) {
    const receipt = await test.chain.public.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt) {
      if (receipt.status !== 'success') throw new Error(`the vote ${hash} reverted`);
      return { hash, minedAt: Date.now() };
    }
    await sleep(5);
  }
}

async function measure(
  test: TestChain,
  apis: Awaited<ReturnType<typeof signIn>>[],
  voters: Hex[],
  proposalId: bigint,
  count: number,
): Promise<Row> {
  const subscribers: { receiver: Receiver; secret: string; id: string; via: (typeof apis)[0] }[] =
    [];
  for (let i = 0; i < count; i++) {
    const receiver = await startReceiver();
    const via = apis[i % apis.length]!;
    const response = await via('/subscriptions', {
      method: 'POST',
      body: JSON.stringify({ url: receiver.url, events: ['vote.cast'] }),
    });
    if (response.status !== 201) throw new Error(`subscribing: ${await response.text()}`);
    const { subscription, secret } = (await response.json()) as {
      subscription: { id: string };
      secret: string;
    };
    subscribers.push({ receiver, secret, id: subscription.id, via });
  }
  const row: Row = { subscriptions: count, events: [], unverified: 0 };
  try {
    for (const [i, key] of voters.entries()) {
      // Sent at once, each vote would meet the notifier's poll at the same phase; spread them over it.
      await sleep(spread(i) * 200);
      const { hash, minedAt } = await vote(test, key, proposalId);
      const arrivals = new Map<number, number>();
      const deadline = Date.now() + 30_000;
      while (arrivals.size < count) {
        if (Date.now() > deadline) {
          throw new Error(`${arrivals.size} of ${count} webhooks came for ${hash} within 30 s`);
        }
        for (const [i, { receiver, secret }] of subscribers.entries()) {
          // Each request is looked at once, then dropped.
          for (const request of receiver.requests.splice(0)) {
            if ((JSON.parse(request.raw) as EventBody).tx !== hash) continue;
            const header = request.headers['charter-signature'];
            if (
              verifySignature(secret, typeof header === 'string' ? header : undefined, request.raw)
            )
              arrivals.set(i, request.at);
            else row.unverified++;
          }
        }
        await sleep(5);
      }
      row.events.push({ tx: hash, deliveries: [...arrivals.values()].map((at) => at - minedAt) });
    }
  } finally {
    for (const { receiver, id, via } of subscribers) {
      await via(`/subscriptions/${id}`, { method: 'DELETE' });
      await receiver.close();
    }
  }
  const last = row.events.map((event) => Math.max(...event.deliveries));
  log(
    `${count} subscriptions: receipt → last webhook p50 ${ms(median(last))}, ` +
      `${Math.round(median(last.map((t) => (count * 1000) / t)))} deliveries/s ` +
      `(load average ${loadavg()[0]!.toFixed(1)})`,
  );
  return row;
}

log('starting anvil and deploying Charter');
const test = await startTestChain();
const dataDir = mkdtempSync(join(tmpdir(), 'charter-notifier-bench-'));
const rows: Row[] = [];
try {
  log(`funding ${subscriptionCounts.length * eventCount} voters`);
  const voters = await fundVoters(test, subscriptionCounts.length * eventCount);
  const proposalId = await activeProposal(test);
  const notifier = await notifierFor(test, {
    dataDir,
    pollingInterval: undefined,
    tickMs: undefined,
    retrySchedule: defaultRetrySchedule,
    attemptTimeout: defaultConfig.attemptTimeout,
  });
  try {
    const apis = await Promise.all(
      test.keys.map((key) => signIn(notifier.url, key, test.deployment.chainId)),
    );
    for (const [i, count] of subscriptionCounts.entries()) {
      log(`${count} subscriptions, ${eventCount} votes`);
      rows.push(
        await measure(
          test,
          apis,
          voters.slice(i * eventCount, (i + 1) * eventCount),
          proposalId,
          count,
        ),
      );
    }
  } finally {
    await notifier.stop();
  }
} finally {
  await test.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const rate = (row: Row) =>
  median(row.events.map((event) => (row.subscriptions * 1000) / Math.max(...event.deliveries)));
/** Once the first webhook went: the others ÷ the time to the last (the delivery worker alone). */
const fanOut = (row: Row) =>
  median(
    row.events.map(
      (event) =>
        ((row.subscriptions - 1) * 1000) /
        (Math.max(...event.deliveries) - Math.min(...event.deliveries)),
    ),
  );
const both = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;
const baseline = rows[0]!;
const loadAverage = loadavg();
const lines = [
  `Command: \`${command}\``,
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
    `load average ${loadAverage.map((load) => load.toFixed(1)).join(' / ')} (1 / 5 / 15 min) at the end of the run.`,
  '',
  `anvil mining on demand; notifier with its defaults (PGlite on disk, polling chosen from the chain, ` +
    `${defaultConfig.deliveryConcurrency} webhooks in flight); ${eventCount} \`vote.cast\` events per row, one at a time; ` +
    "times from the vote's receipt to webhooks whose signature verified; p50 / p95 over the events (or the deliveries).",
  '',
  '| Subscriptions | Webhooks verified | Receipt → first webhook | Receipt → last webhook | Receipt → each webhook | Deliveries/s, receipt → last | Against 1 subscription | Deliveries/s, first → last |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((row) => {
    const first = row.events.map((event) => Math.min(...event.deliveries));
    const last = row.events.map((event) => Math.max(...event.deliveries));
    const each = row.events.flatMap((event) => event.deliveries);
    const against =
      row === baseline ? 'baseline' : `${(rate(row) / rate(baseline)).toPrecision(2)}× the rate`;
    return (
      `| ${row.subscriptions} | ${each.length.toLocaleString('en')}${row.unverified ? ` (${row.unverified} did not verify)` : ''} | ` +
      `${both(first)} | ${both(last)} | ${both(each)} | ${Math.round(rate(row)).toLocaleString('en')} | ${against} | ` +
      `${row.subscriptions > 1 ? Math.round(fanOut(row)).toLocaleString('en') : '—'} |`
    );
  }),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json) {
  await writeFile(
    values.json,
    JSON.stringify(
      {
        command,
        machine: {
          cores: cpus().length,
          cpu: cpus()[0]?.model.trim(),
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
          loadAverage,
        },
        rows,
      },
      null,
      2,
    ),
  );
}
