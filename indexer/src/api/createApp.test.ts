import {
  action,
  approvalAction,
  charterGovernorAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  evidenceRegistryAbi,
} from '@charter/contracts';
import { charterErrorsAbi } from '@charter/contracts';
import { describeCharterError } from '@charter/contracts/protocol';
import { request } from 'node:http';
import type { BaseError } from 'viem';
import { ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createIndexerClient, IndexerError, type Change, type IndexedBlock } from '../client';
import type { Indexer } from '../startIndexer';
import {
  disputeResult,
  followTestChain,
  governorState,
  guardianIndex,
  modelDigest,
  policyId,
  setUpEvidence,
  startTestChain,
  submitResult,
  suiteId,
  testEvidenceGame,
  waitForHead,
  type TestChain,
} from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

const reasons: Record<string, string> = {
  PolicyRegistryThresholdNotMet: 'threshold',
  PolicyRegistryEvidenceTooOld: 'too-old',
  PolicyRegistryEvidenceInChallengeWindow: 'in-window',
  PolicyRegistryEvidenceDisputed: 'disputed',
  PolicyRegistryEvaluatorUnderbonded: 'underbonded',
  PolicyRegistryEvidenceMissing: 'missing',
};

// One chain, read by an indexer on each database at once.
let test: TestChain;
const targets: { kind: DatabaseKind; database: TestDatabase; indexer: Indexer }[] = [];
let approvalId: bigint;
const v2 = modelDigest('v2');

beforeAll(async () => {
  test = await startTestChain();
  await setUpEvidence(test);
  for (const kind of ['pglite', 'postgres'] as const) {
    const database = await createTestDatabase(kind);
    const indexer = await followTestChain(test, database);
    targets.push({ kind, database, indexer });
  }
  const approve = [await approvalAction(test.chain, v2)];
  approvalId = await test.chain.propose(
    test.keys[3]!,
    approve,
    '# Approve mail-guard v2\n\nIt is good.',
  );
  for (const { indexer } of targets) await indexer.ready();
});
afterAll(async () => {
  for (const { indexer } of targets) await indexer.stop();
  for (const { database } of targets) await database.drop();
  await test?.stop();
});

describe('evidence and the live stream on PGlite and PostgreSQL', () => {
  /** The evidence each indexer shows must agree with the contract's `checkPolicy` at the same block. */
  async function expectEvidenceMatchesContract(reason: string | null) {
    for (const { kind, indexer } of targets) {
      const head = await waitForHead(test, indexer.status);
      const [met, version, failure] = await test.chain.public.readContract({
        address: test.deployment.contracts.policyRegistry,
        abi: policyRegistryAbi,
        functionName: 'checkPolicy',
        args: [v2, policyId],
        blockNumber: head,
      });
      const { evidence } = await createIndexerClient(indexer.url).proposals.get(
        approvalId.toString(),
      );
      expect(evidence!.wouldExecuteNow, kind).toBe(met);
      expect(evidence!.policyVersion, kind).toBe(Number(version));
      if (!met) {
        const error = decodeErrorResult({ abi: charterErrorsAbi, data: failure as Hex });
        expect(evidence!.failure?.reason, kind).toBe(reasons[error.errorName]);
        expect(evidence!.failure?.rule, kind).toBe(Number(error.args![0]));
        // The contract's own error, in the words the execute error and the CLI give it.
        expect(evidence!.failure?.error, kind).toBe(error.errorName);
        const suiteName = (id: Hex) => (id === suiteId ? 'spam-suite-v1' : undefined);
        expect(evidence!.failure?.message, kind).toBe(
          describeCharterError(error.errorName, error.args ?? [], { suiteName }),
        );
      } else {
        expect(evidence!.failure, kind).toBeNull();
      }
      expect(evidence!.failure?.reason ?? null, kind).toBe(reason);
    }
  }

  it('describes actions in words and shows the evidence as the policy registry judges it', async () => {
    for (const { indexer } of targets) {
      const proposal = await createIndexerClient(indexer.url).proposals.get(approvalId.toString());
      expect(proposal.title).toBe('Approve mail-guard v2');
      expect(proposal.kinds).toEqual(['approve-model']);
      expect(proposal.actions[0]!.summary).toMatch(
        /^approve mail-guard v2 under policy mail-safety v1, with no current version to replace, executable until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
      );
      expect(proposal.actions[0]!.signature).toBe(
        'approve(bytes32,bytes32,uint256,bytes32,uint48)',
      );
      expect(proposal.actions[0]!.targetName).toBe('modelRegistry');
    }
    await expectEvidenceMatchesContract('missing');

    await submitResult(test, 4, v2, '0.95', '0.02');
    await submitResult(test, 5, v2, '0.85', '0.01');
    // Posted, but in their challenge window: not yet compared with the thresholds.
    await expectEvidenceMatchesContract('in-window');
    for (const { indexer } of targets) {
      const { approval, evidence } = await createIndexerClient(indexer.url).proposals.get(
        approvalId.toString(),
      );
      const results = evidence!.rules[0]!.results;
      expect(results.map((result) => result.standing)).toEqual(['in-window', 'in-window']);
      const countsFrom = Math.min(...results.map((result) => result.countsFrom));
      expect(countsFrom - results[0]!.submittedAt).toBe(testEvidenceGame.challengePeriod);
      expect(evidence!.failure).toMatchObject({ reason: 'in-window', countsFrom });
      // Shown apart from what is missing: a wait, until the window has passed.
      expect(approval!.blockers).toContainEqual({
        check: 'challenge-window',
        error: 'PolicyRegistryEvidenceInChallengeWindow',
        message: evidence!.failure!.message,
        countsFrom,
      });
    }
    await test.chain.passChallengeWindow();
    await expectEvidenceMatchesContract('threshold');
    for (const { indexer } of targets) {
      const { evidence } = await createIndexerClient(indexer.url).proposals.get(
        approvalId.toString(),
      );
      expect(evidence!.failure).toMatchObject({
        rule: 0,
        message:
          'Rule 1 is not met: f1 must be at least 0.9; the best result short of it is 0.85, ' +
          'and 1 of the 2 evaluators required meet it.',
      });
    }

    await submitResult(test, 5, v2, '0.92', '0.01', 'five-again');
    await expectEvidenceMatchesContract('in-window');

    // Evaluator 4 disputes 5's new result inside its window: it stops counting.
    await disputeResult(test, 4, 5, v2, 'five-again');
    await expectEvidenceMatchesContract('disputed');

    // The resolver rejects the dispute; once the window has passed the result counts.
    await test.chain.send(test.keys[guardianIndex]!, {
      address: test.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'resolveDispute',
      args: [1n, false],
    });
    await test.chain.passChallengeWindow();
    await expectEvidenceMatchesContract(null);

    await test.chain.advanceTime(2 * 86_400);
    await expectEvidenceMatchesContract('too-old');

    for (const { indexer } of targets) {
      const client = createIndexerClient(indexer.url);
      const results = await client.results.list({ model: v2 });
      expect(results.items).toHaveLength(3);
      const disputed = results.items.find((result) => result.disputes.length)!;
      expect(disputed.disputes).toEqual([
        expect.objectContaining({
          id: 1,
          disputer: test.address(4),
          status: 'rejected',
          resolution: 'rejected',
        }),
      ]);
      expect(disputed.metrics).toEqual({ f1: '920000000000000000', fpr: '10000000000000000' });
      expect((await client.results.get(disputed.id)).id).toBe(disputed.id);
      expect(results.items.filter((result) => result.superseded)).toHaveLength(1);
    }
  });

  it('streams a change after it is committed', async () => {
    const actions = [
      action(test.deployment.contracts.modelRegistry, modelRegistryAbi, 'deprecate', [v2]),
    ];
    const id = await test.chain.propose(test.keys[3]!, actions, 'Deprecate mail-guard v2');
    await test.chain.openVoting(id);
    const streams = await Promise.all(
      targets.map(async ({ indexer }) => {
        const client = createIndexerClient(indexer.url);
        const changes: Change[] = [];
        let unsubscribe!: () => void;
        await new Promise<void>((opened) => {
          unsubscribe = client.subscribe((change) => changes.push(change), { onOpen: opened });
        });
        return { client, changes, unsubscribe };
      }),
    );
    await test.chain.vote(test.keys[2]!, id, 2, 'abstaining');
    for (const { client, changes, unsubscribe } of streams) {
      const deadline = Date.now() + 5000;
      while (!changes.some((change) => change.kind === 'vote') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      unsubscribe();
      expect(changes).toContainEqual(expect.objectContaining({ kind: 'vote', id: id.toString() }));
      // Committed before it was announced: a client that re-fetches sees it.
      const votes = await client.proposals.votes(id.toString());
      expect(votes.items.map((vote) => vote.reason)).toContain('abstaining');
    }
  });

  it('says why approving an unregistered model would fail, in the words of its revert', async () => {
    const unknown = modelDigest('never registered');
    const { modelRegistry, timelock } = test.deployment.contracts;
    const expiresAt = Number(await test.chain.now()) + 86_400;
    const pins = [unknown, policyId, 1n, `0x${'0'.repeat(64)}`, expiresAt] as const;
    const approve = [action(modelRegistry, modelRegistryAbi, 'approve', pins)];
    const id = await test.chain.propose(
      test.keys[3]!,
      approve,
      'Approve a model nobody registered',
    );
    // What executing it would revert with: the registry's call, made as the timelock.
    const reverted = (await test.chain.public
      .simulateContract({
        account: timelock,
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'approve',
        args: pins,
      })
      .catch((error: unknown) => error)) as BaseError;
    const revert = reverted.walk((e) => e instanceof ContractFunctionRevertedError) as
      ContractFunctionRevertedError | undefined;
    expect(revert?.data?.errorName).toBe('ModelRegistryInvalidTransition');
    for (const { kind, indexer } of targets) {
      await waitForHead(test, indexer.status);
      const { evidence } = await createIndexerClient(indexer.url).proposals.get(id.toString());
      expect(evidence!.failure, kind).toEqual({
        rule: null,
        reason: 'unknown-model',
        error: 'ModelRegistryInvalidTransition',
        message: describeCharterError(revert!.data!.errorName, revert!.data!.args ?? []),
      });
      expect(evidence!.wouldExecuteNow, kind).toBe(false);
    }
  });

  it('announces every indexed block on the stream, also one where nothing changed', async () => {
    const streams = await Promise.all(
      targets.map(async ({ indexer }) => {
        const blocks: IndexedBlock[] = [];
        let unsubscribe!: () => void;
        await new Promise<void>((opened) => {
          unsubscribe = createIndexerClient(indexer.url).subscribe(() => {}, {
            onOpen: opened,
            onBlock: (block) => blocks.push(block),
          });
        });
        return { indexer, blocks, unsubscribe };
      }),
    );
    await test.chain.test.mine({ blocks: 1 }); // an empty block
    const head = await test.chain.public.getBlock();
    for (const { indexer, blocks, unsubscribe } of streams) {
      const deadline = Date.now() + 5000;
      while (!blocks.some((block) => block.number === Number(head.number))) {
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      unsubscribe();
      expect(blocks).toContainEqual({
        number: Number(head.number),
        hash: head.hash,
        timestamp: Number(head.timestamp),
      });
      // An answer read after the event is at least as new as the block it announced.
      const page = await createIndexerClient(indexer.url).proposals.list();
      expect(page.indexedBlock).toBeGreaterThanOrEqual(Number(head.number));
    }
  });
});

/** A request through node:http, which sends whatever it is given (fetch refuses some of it). */
function rawRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), options, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each<DatabaseKind>(['pglite', 'postgres'])('API on %s', (kind) => {
  let indexer: Indexer;
  let client: ReturnType<typeof createIndexerClient>;
  beforeAll(() => {
    indexer = targets.find((target) => target.kind === kind)!.indexer;
    client = createIndexerClient(indexer.url);
  });

  it('serves models, policies, suites, evaluators, delegates and accounts', async () => {
    const models = await client.models.list({ family: 'mail-guard' });
    expect(models.items.map((model) => model.version)).toEqual(['v2', 'v1']);
    const model = await client.models.get(v2);
    expect(model.history).toEqual([expect.objectContaining({ status: 'candidate' })]);
    expect(model.parentId).toBe(modelDigest('v1'));
    expect((await client.families.list())[0]).toMatchObject({
      family: 'mail-guard',
      versions: 2,
      currentVersion: null,
    });
    const [policy] = await client.policies.list();
    expect(policy).toMatchObject({ id: policyId, name: 'mail-safety', currentVersion: 1 });
    expect((await client.policies.get(policyId)).versions[0]!.rules).toEqual([
      { suiteId, metric: 'f1', comparator: '>=', threshold: '900000000000000000' },
      { suiteId, metric: 'fpr', comparator: '<=', threshold: '50000000000000000' },
    ]);
    expect((await client.suites.list())[0]!.metrics).toEqual(['f1', 'fpr']);
    expect((await client.evaluators.list()).map((e) => e.name)).toEqual(['Lab Four', 'Lab Five']);

    const delegates = await client.delegates.list({ limit: 2 });
    expect(delegates.items[0]!.address).toBe(test.address(0));
    const next = await client.delegates.list({ limit: 2, cursor: delegates.nextCursor! });
    expect(next.items.map((d) => d.address)).not.toContain(delegates.items[0]!.address);
    const delegate = await client.delegates.get(test.address(3));
    expect(delegate.delegatorList).toEqual([
      { address: test.address(3), balance: '50000000000000000000000' },
    ]);
    const account = await client.accounts.get(test.address(0));
    expect(account.votes.map((vote) => vote.title)).toContain('Set up the evidence registry');
    const stranger = await client.accounts.get(`0x${'12'.repeat(20)}`);
    expect(stranger).toMatchObject({ balance: '0', votingPower: '0', delegate: null, votes: [] });

    const governance = await client.governance();
    expect(governance).toMatchObject({
      name: 'Charter Governor',
      tokenSymbol: 'CHR',
      votingPeriod: 600,
      quorumNumerator: '4',
    });
    const ready = await client.ready();
    expect(ready.ready).toBe(true);
  });

  it('pages through lists with cursors and filters them', async () => {
    const all = await client.proposals.list({ limit: 200 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.proposals.list({ limit: 1, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((item) => item.id));
    // The mail-guard v2 approval and the approval of an unregistered model.
    const approvals = (await client.proposals.list({ kind: 'approve-model' })).items;
    expect(approvals.map((p) => p.id)).toContain(approvalId.toString());
    expect(approvals).toHaveLength(2);
    expect(approvals.every((p) => p.kinds.includes('approve-model'))).toBe(true);
    expect((await client.proposals.list({ state: ['executed'] })).items).toHaveLength(2);
    expect((await client.proposals.list({ q: 'mail-SAFETY' })).items).toHaveLength(1);
    const votes = await client.proposals.votes(all.items.at(-1)!.id, {
      sort: 'weight',
      support: 'for',
    });
    expect(votes.items[0]).toMatchObject({ voter: test.address(0), support: 'for' });
  });

  it('answers nonsense with a 400 naming the parameter, and unknown ids with a 404', async () => {
    const bad: [string, string][] = [
      ['/proposals?limit=0', 'limit'],
      ['/proposals?limit=201', 'limit'],
      ['/proposals?limit=ten', 'limit'],
      ['/proposals?state=open', 'state'],
      ['/proposals?state=active,nope', 'state'],
      ['/proposals?kind=bribe', 'kind'],
      ['/proposals?sort=random', 'sort'],
      ['/proposals?proposer=0x123', 'proposer'],
      ['/proposals?cursor=garbage', 'cursor'],
      ['/proposals?q=' + 'x'.repeat(500), 'q'],
      ['/proposals/not-a-number', 'id'],
      ['/proposals/-1', 'id'],
      [`/proposals/${2n ** 256n}`, 'id'],
      ['/proposals/1/votes?support=maybe', 'support'],
      ['/proposals/1/votes?sort=loudest', 'sort'],
      ['/delegates?sort=charm', 'sort'],
      ['/delegates/0xnope', 'address'],
      ['/accounts/42', 'address'],
      ['/models?status=great', 'status'],
      ['/models/0x1234', 'id'],
      ['/policies/mail-safety', 'id'],
      ['/results?model=0x1', 'model'],
      ['/results?evaluator=bob', 'evaluator'],
      ['/results?status=pending', 'status'],
      ['/results/0x1234', 'id'],
      ['/evaluators/lab-four', 'address'],
      ['/disputes?status=closed', 'status'],
      ['/disputes?evaluator=0x12', 'evaluator'],
      ['/disputes?disputer=bob', 'disputer'],
      ['/disputes?model=v2', 'model'],
      [`/disputes?result=0x${'ab'.repeat(32)}:`, 'result'],
      ['/disputes?cursor=garbage', 'cursor'],
      ['/disputes/0', 'id'],
      ['/disputes/-1', 'id'],
      ['/disputes/1e3', 'id'],
    ];
    for (const [path, parameter] of bad) {
      const response = await fetch(`${indexer.url}${path}`);
      const body = (await response.json()) as { error: string; parameter: string; message: string };
      expect({ path, status: response.status, parameter: body.parameter }).toEqual({
        path,
        status: 400,
        parameter,
      });
      expect(body.error).toBe('bad_request');
      expect(body.message.length).toBeGreaterThan(5);
    }
    // A cursor from another sort is refused too.
    const newest = await client.proposals.list({ limit: 1 });
    await expect(
      client.proposals.list({ sort: 'ending', cursor: newest.nextCursor! }),
    ).rejects.toMatchObject({
      status: 400,
      parameter: 'cursor',
    });

    const missing = [
      '/proposals/12345',
      '/proposals/12345/votes',
      `/delegates/0x${'12'.repeat(20)}`,
      `/models/0x${'ab'.repeat(32)}`,
      `/policies/0x${'ab'.repeat(32)}`,
      `/results/0x${'ab'.repeat(32)}:0x${'cd'.repeat(32)}`,
      `/evaluators/0x${'12'.repeat(20)}`,
      '/disputes/12345',
      '/nothing/here',
    ];
    for (const path of missing) {
      const response = await fetch(`${indexer.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(((await response.json()) as { error: string }).error).toBe('not_found');
    }
    await expect(client.proposals.get('12345')).rejects.toBeInstanceOf(IndexerError);
  });

  it('refuses control characters and repeated or array-valued parameters with a 400', async () => {
    const bad: [string, string][] = [
      ['/proposals?q=%00', 'q'],
      ['/proposals?q=mail%00safety', 'q'],
      ['/proposals?q=two%0Alines', 'q'],
      ['/models?q=%00', 'q'],
      ['/models?family=mail-guard%00', 'family'],
      ['/delegates?q=%00', 'q'],
      ['/results?status=valid%00', 'status'],
      ['/proposals?cursor=%00', 'cursor'],
      ['/proposals?limit=1&limit=2', 'limit'],
      ['/proposals?limit=5&limit=5', 'limit'],
      ['/proposals?limit[]=1', 'limit'],
      ['/proposals?limit[0]=1&limit[1]=2', 'limit'],
      ['/proposals?sort=newest&sort=oldest', 'sort'],
      ['/proposals?state=active&state=pending', 'state'],
      ['/models?family=a&family=b', 'family'],
      ['/delegates?q=a&q=b', 'q'],
    ];
    for (const [path, parameter] of bad) {
      const response = await fetch(`${indexer.url}${path}`);
      const body = (await response.json()) as { error: string; parameter: string; message: string };
      expect({
        path,
        status: response.status,
        parameter: body.parameter,
        error: body.error,
      }).toEqual({ path, status: 400, parameter, error: 'bad_request' });
    }
    // Without the control character or the repetition, the same requests are answered.
    for (const path of ['/proposals?q=mail', '/models?family=mail-guard', '/proposals?limit=1']) {
      expect((await fetch(`${indexer.url}${path}`)).status, path).toBe(200);
    }
  });

  it('answers other methods with a 405 that names the allowed ones', async () => {
    for (const path of ['/proposals', '/proposals/1', '/proposals/1/votes', '/models', '/stream']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await fetch(`${indexer.url}${path}`, { method });
        expect({ path, method, status: response.status }).toEqual({ path, method, status: 405 });
        expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
        expect(((await response.json()) as { error: string }).error).toBe('method_not_allowed');
      }
    }
    expect((await fetch(`${indexer.url}/proposals`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${indexer.url}/nothing/here`, { method: 'POST' })).status).toBe(404);
  });

  it('answers a URL or headers too long with 414 or 431 instead of resetting', async () => {
    const long = await rawRequest(indexer.url, `/proposals?q=${'x'.repeat(20_000)}`);
    expect(long.status).toBe(414);
    expect(JSON.parse(long.body)).toMatchObject({ error: 'uri_too_long' });
    const big = await rawRequest(indexer.url, '/proposals', {
      headers: { 'x-padding': 'y'.repeat(40_000) },
    });
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body)).toMatchObject({ error: 'headers_too_large' });
    // Beyond what the HTTP parser reads at all: still an answer, not a reset connection.
    for (const huge of [
      { path: `/proposals?q=${'x'.repeat(300_000)}` },
      { path: '/proposals', headers: { 'x-padding': 'y'.repeat(300_000) } },
    ]) {
      const answer = await rawRequest(indexer.url, huge.path, { headers: huge.headers });
      expect(answer.status).toBe(431);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'headers_too_large' });
    }
    // The server still answers afterwards.
    expect((await fetch(`${indexer.url}/health`)).status).toBe(200);
  });

  it('names the indexed block each answer was read at, and derives states at its time', async () => {
    const response = await fetch(`${indexer.url}/proposals?limit=200`);
    const block = Number(response.headers.get('x-indexed-block'));
    const timestamp = Number(response.headers.get('x-indexed-timestamp'));
    const page = (await response.json()) as Awaited<ReturnType<typeof client.proposals.list>>;
    expect(block).toBeGreaterThan(0);
    expect(page).toMatchObject({ indexedBlock: block, indexedTimestamp: timestamp });
    const header = await test.chain.public.getBlock({ blockNumber: BigInt(block) });
    expect(Number(header.timestamp)).toBe(timestamp);
    for (const proposal of page.items) {
      // State and quorum at that very block, as the governor answers them.
      const expected = await governorState(test, BigInt(proposal.id), BigInt(block));
      expect(proposal.state, proposal.id).toBe(expected);
      const [against, forVotes, abstain] = await test.chain.public.readContract({
        address: test.deployment.contracts.governor,
        abi: charterGovernorAbi,
        functionName: 'proposalVotes',
        args: [BigInt(proposal.id)],
        blockNumber: BigInt(block),
      });
      expect(proposal).toMatchObject({
        againstVotes: against.toString(),
        quorumVotes: (forVotes + abstain).toString(),
        quorumReached: forVotes + abstain >= BigInt(proposal.quorum),
      });
      const shortfall = BigInt(proposal.quorum) - forVotes - abstain;
      expect(proposal.quorumShortfall).toBe((shortfall > 0n ? shortfall : 0n).toString());
    }
    const detail = await client.proposals.get(page.items[0]!.id);
    expect(detail.indexedBlock).toBeGreaterThanOrEqual(block);
    expect(typeof detail.quorumReached).toBe('boolean');
    for (const path of [
      '/families',
      '/policies',
      '/suites',
      '/evaluators',
      '/models',
      '/governance',
    ]) {
      const answer = await fetch(`${indexer.url}${path}`);
      expect(Number(answer.headers.get('x-indexed-block')), path).toBeGreaterThanOrEqual(block);
    }
  });

  it('documents every route in its OpenAPI document', async () => {
    const document = (await client.openapi()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toBe('3.1.0');
    const routes = [
      '/health',
      '/ready',
      '/openapi.json',
      '/stream',
      '/governance',
      '/proposals',
      '/proposals/{id}',
      '/proposals/{id}/votes',
      '/delegates',
      '/delegates/{address}',
      '/delegates/{address}/statements',
      '/accounts/{address}',
      '/models',
      '/models/{id}',
      '/families',
      '/policies',
      '/policies/{id}',
      '/suites',
      '/evaluators',
      '/evaluators/{address}',
      '/results',
      '/results/{id}',
      '/disputes',
      '/disputes/{id}',
    ];
    expect(Object.keys(document.paths).sort()).toEqual(routes.sort());
  });
});
