// npm run bench -w web: server render time of the proposal page with 20,000 votes (and with 20, to show it
// does not depend on the count), and the JavaScript a first load ships, gzipped. Runs the built server
// (build/) against an in-memory indexer (fixtureIndexer.ts), so it times the web server alone.
import { gzipSync } from 'node:zlib';

import { PROPOSAL_ID, startFixtureIndexer } from './fixtureIndexer';
import { startWeb } from './startWeb';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const WARMUP = 50;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function timeRenders(url: string): Promise<{ p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < WARMUP; i++) await (await fetch(url)).text();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await fetch(url);
    const html = await response.text();
    times.push(performance.now() - start);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    bytes = html.length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), bytes };
}

/** Every script a first load of `url` fetches: SvelteKit's modulepreloads and entry imports, and their static imports. */
async function firstLoadJs(url: string): Promise<{ files: number; raw: number; gzip: number }> {
  const html = await (await fetch(url)).text();
  const queue = [
    ...[...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]!),
  ].map((path) => new URL(path, url).href);
  const seen = new Set<string>();
  let raw = 0;
  let gzip = 0;
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const body = Buffer.from(await (await fetch(file)).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
    // Static imports only: what loads later on demand (the wallet code) is not part of a first load.
    for (const m of body
      .toString()
      .matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*${},\s]+from\s*)?["']([^"']+\.js)["']/g)) {
      queue.push(new URL(m[1]!, file).href);
    }
  }
  return { files: seen.size, raw, gzip };
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const results: string[] = [];
for (const votes of [20_000, 20]) {
  const indexer = await startFixtureIndexer(votes);
  const web = await startWeb({
    indexerUrl: indexer.url,
    // Every request renders: this part times the render itself (bench/load.ts measures the cache).
    env: { CHARTER_WEB_CACHE_MB: '0' },
    isReady: async (url) =>
      (await fetch(`${url}/rpc`, { method: 'POST', body: '{}' }).catch(() => null)) !== null,
    polls: 200,
    pollMs: 50,
  });
  try {
    const page = `${web.url}/proposals/${PROPOSAL_ID}`;
    const first = await timeRenders(page);
    const deep = await timeRenders(`${page}?votes=${votes > 1000 ? 15_000 : 0}`);
    results.push(
      `| ${votes.toLocaleString('en')} | first page of votes | ${ms(first.p50)} | ${ms(first.p95)} | ${kB(first.bytes)} |`,
      `| ${votes.toLocaleString('en')} | page at vote ${votes > 1000 ? '15,000' : '0'} | ${ms(deep.p50)} | ${ms(deep.p95)} | ${kB(deep.bytes)} |`,
    );
    if (votes === 20_000) {
      const js = await firstLoadJs(page);
      console.log(
        `JavaScript on a first load of the proposal page: ${js.files} files, ${kB(js.raw)} raw, ${kB(js.gzip)} gzip (goal ≤ 150 kB)`,
      );
      const perRender = [...indexer.requests.entries()].map(
        ([p, n]) => `${p.replace(PROPOSAL_ID, ':id')} ×${n}`,
      );
      console.log(`indexer requests during the run: ${perRender.join(', ')}`);
    }
  } finally {
    web.child.kill('SIGTERM');
    await indexer.stop();
  }
}

console.log(
  `\nServer render of /proposals/:id, ${RUNS} sequential requests after ${WARMUP} warm-up (goal p95 ≤ 100 ms):\n`,
);
console.log('| votes on the proposal | page | p50 | p95 | HTML |');
console.log('| ---: | --- | ---: | ---: | ---: |');
for (const line of results) console.log(line);
