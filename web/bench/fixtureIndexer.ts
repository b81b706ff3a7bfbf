// An HTTP server answering the indexer API (indexer/API.md) from memory, for measuring the web server alone:
// a proposal with `votes` votes (cursor-paginated like the indexer), its evidence, and the little else the
// layout and the proposal page read.
import { createServer, type Server } from 'node:http';

import type {
  AtBlock,
  Dispute,
  Evaluator,
  Governance,
  Page,
  Proposal,
  Vote,
} from '@charter/indexer/client';

const wad = (v: number) => (BigInt(Math.round(v * 1e6)) * 10n ** 12n).toString();
const tokens = (n: number) => (BigInt(n) * 10n ** 18n).toString();
/** 1 ETH in wei: every evaluator's bond and the minimum. */
const ETH = tokens(1);
const hex = (n: number, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, '0')}`;

export const PROPOSAL_ID =
  '97234465815818068017702132462007536263326426144677588333603558916727875277418';

const description = `# Approve mail-guard v2

mail-guard v2 is the second version of the spam filter: a fastText-style classifier with a larger
vocabulary, trained on the training side of the SpamAssassin split, with look-alike letters folded.

## Evidence

| Suite | Metric | v2 | Policy |
| --- | --- | --- | --- |
| spam-detection | f1 | **0.962** | ≥ 0.90 |
| over-blocking | false positive rate | **0.111** | ≤ 0.15 |
| robustness | recall | **0.937** | ≥ 0.85 |

Reports reproduce with \`charter-eval verify\`; see the [suites](https://example.org/suites).
`;

function proposal(votes: number, now: number, indexedBlock: number): AtBlock<Proposal> {
  const evaluators = [hex(4, 20), hex(5, 20)];
  const rule = (
    index: number,
    metric: string,
    comparator: '>=' | '<=',
    threshold: number,
    value: number,
  ) => ({
    index,
    suiteId: hex(100 + index, 32),
    suiteName: ['spam-detection', 'over-blocking', 'robustness'][index],
    metric,
    comparator,
    threshold: wad(threshold),
    required: 2,
    satisfied: 2,
    met: true,
    results: evaluators.map((evaluator, i) => ({
      evaluator,
      resultId: `${hex(200 + index * 2 + i, 32)}:${hex(300 + i, 32)}`,
      value: wad(value),
      submittedAt: now - 86_400 * 3,
      status: 'valid' as const,
      countsFrom: now - 86_400 * 3 + 3600,
      standing: 'counts' as const,
      bond: ETH,
      fresh: true,
      passes: true,
      reportUri: `https://reports.example/${index}-${i}.json`,
      reportDigest: hex(300 + i, 32),
    })),
  });
  return {
    id: PROPOSAL_ID,
    proposer: hex(1, 20),
    title: 'Approve mail-guard v2',
    state: 'active',
    kinds: ['approve-model'],
    createdAt: now - 86_400 * 2,
    voteStart: now - 86_400,
    voteEnd: now + 86_400 * 4,
    extended: false,
    eta: null,
    forVotes: tokens(votes * 30),
    againstVotes: tokens(votes * 8),
    abstainVotes: tokens(votes * 2),
    quorum: tokens(40_000),
    quorumVotes: tokens(votes * 32),
    quorumReached: true,
    quorumShortfall: '0',
    voteCount: votes,
    description,
    createdBlock: 70,
    createdTx: hex(9, 32),
    actions: [
      {
        target: hex(0x5fc8, 20),
        targetName: 'modelRegistry',
        value: '0',
        calldata: `0xa2a1e44b${hex(0xb6a0, 32).slice(2)}${hex(0x6d61, 32).slice(2)}`,
        signature: 'approve(bytes32,bytes32)',
        args: [hex(0xb6a0, 32), hex(0x6d61, 32)],
        summary: 'approve mail-guard v2 under policy mail-safety v2',
      },
    ],
    timeline: [
      { event: 'created', at: now - 86_400 * 2, block: 70, tx: hex(9, 32) },
      { event: 'voting-opened', at: now - 86_400 },
    ],
    approval: null,
    evidence: {
      modelId: hex(0xb6a0, 32),
      policyId: hex(0x6d61, 32),
      policyName: 'mail-safety',
      policyVersion: 2,
      wouldExecuteNow: true,
      failure: null,
      rules: [
        rule(0, 'f1', '>=', 0.9, 0.962),
        rule(1, 'false_positive_rate', '<=', 0.15, 0.111),
        rule(2, 'recall', '>=', 0.85, 0.937),
      ],
    },
    indexedBlock,
    indexedTimestamp: now,
  };
}

export interface FixtureIndexer {
  url: string;
  /** Requests served, by path: shows what one page render asks for. */
  requests: Map<string, number>;
  stop(): Promise<void>;
}

export async function startFixtureIndexer(voteCount: number): Promise<FixtureIndexer> {
  const now = 1_800_000_000;
  const supports = ['for', 'against', 'abstain'] as const;
  // Sorted by weight once, as the indexer's index would keep them.
  const votes: Vote[] = Array.from({ length: voteCount }, (_, i) => ({
    voter: hex(0x1000 + i, 20),
    support: supports[i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2]!,
    weight: tokens(voteCount - i),
    reason: i % 4 === 0 ? `Vote ${i}: the evidence meets every rule of the policy.` : '',
    params: '0x',
    block: 100 + i,
    tx: hex(0x5000 + i, 32),
    at: now - 86_400 + i,
  }));
  const governance: Governance = {
    chainId: 31337,
    addresses: {
      token: hex(1, 20),
      timelock: hex(2, 20),
      governor: hex(3, 20),
      evidenceRegistry: hex(4, 20),
      policyRegistry: hex(5, 20),
      modelRegistry: hex(6, 20),
    },
    name: 'Charter',
    votingDelay: 86_400,
    votingPeriod: 432_000,
    proposalThreshold: tokens(1000),
    quorumNumerator: '4',
    quorumDenominator: '100',
    lateQuorumVoteExtension: 86_400,
    timelockDelay: 172_800,
    proposalGuardian: hex(7, 20),
    appointedGuardian: hex(7, 20),
    guardianTermEnd: now + 86_400 * 365,
    approvalWindow: 86_400 * 30,
    maxSuspension: 86_400 * 14,
    gameParameters: {
      challengePeriod: 3600,
      minBond: ETH,
      disputeBond: (BigInt(ETH) / 10n).toString(),
      unbondingDelay: 86_400,
      resolutionTimeout: 86_400,
      disputerShareBps: 5000,
    },
    resolver: hex(7, 20),
    tokenName: 'Charter',
    tokenSymbol: 'CHR',
    totalSupply: tokens(1_000_000),
    indexedBlock: 100 + voteCount,
    indexedTimestamp: now,
  };
  const evaluators: Evaluator[] = [4, 5].map((i) => ({
    address: hex(i, 20),
    name: `Lab ${i}`,
    admitted: true,
    admittedAt: now - 86_400 * 30,
    removedAt: null,
    resultCount: 6,
    stake: {
      bonded: ETH,
      unbonding: '0',
      unbondingReadyAt: null,
      meetsMinBond: true,
      openDisputes: 0,
      slashed: '0',
    },
  }));
  const theProposal = proposal(voteCount, now, governance.indexedBlock);
  const requests = new Map<string, number>();

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    const path = url.pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/governance') return send(200, governance);
    if (path === '/evaluators') return send(200, evaluators);
    if (path === `/proposals/${PROPOSAL_ID}`) return send(200, theProposal);
    if (path === '/disputes') {
      const none: AtBlock<Page<Dispute>> = {
        items: [],
        nextCursor: null,
        indexedBlock: governance.indexedBlock,
        indexedTimestamp: now,
      };
      return send(200, none);
    }
    if (path === `/proposals/${PROPOSAL_ID}/votes`) {
      const limit = Math.min(200, Number(url.searchParams.get('limit') ?? 50));
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const support = url.searchParams.get('support');
      const list = support ? votes.filter((v) => v.support === support) : votes;
      const page: AtBlock<Page<Vote>> = {
        items: list.slice(offset, offset + limit),
        nextCursor: offset + limit < list.length ? String(offset + limit) : null,
        indexedBlock: governance.indexedBlock,
        indexedTimestamp: now,
      };
      return send(200, page);
    }
    send(404, { error: 'not_found', message: `no fixture for ${path}` });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((ok) => server.close(() => ok())),
  };
}
