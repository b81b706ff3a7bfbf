import { charterTokenAbi } from '@charter/contracts';
import { delegateStatementTypedData, type DelegateStatement } from '@charter/contracts/protocol';
import { parseEther, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { IndexerError } from '../client';
import { createIndexerClient, type Change } from '../client';
import type { Indexer } from '../startIndexer';
import { followTestChain, startTestChain, waitForHead, type TestChain } from '../testing/testChain';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../testing/testDatabase';

// One chain, read by an indexer on each database at once; a finality depth a reorg can reach.
let test: TestChain;
const targets: { kind: DatabaseKind; database: TestDatabase; indexer: Indexer }[] = [];
const now = () => Math.floor(Date.now() / 1000);
// The indexers' clock: the wall clock, moved ahead by the tests to pass the rate limit's interval.
let skew = 0;
const advance = (seconds: number) => (skew += seconds);
const interval = 60;
const maxVersions = 3;

beforeAll(async () => {
  test = await startTestChain();
  for (const kind of ['pglite', 'postgres'] as const) {
    const database = await createTestDatabase(kind);
    const indexer = await followTestChain(test, database, {
      finalityDepth: 16,
      statementIntervalSeconds: interval,
      maxStatementVersions: maxVersions,
      now: () => now() + skew,
    });
    targets.push({ kind, database, indexer });
  }
  for (const { indexer } of targets) await indexer.ready();
});
afterAll(async () => {
  for (const { indexer } of targets) await indexer.stop();
  for (const { database } of targets) await database.drop();
  await test?.stop();
});

/** A statement of the account with anvil key `signer`, signed by key `signer` (or by `by`). */
async function signed(
  signer: number,
  fields: Omit<DelegateStatement, 'delegate'>,
  by = signer,
): Promise<{ delegate: Hex; body: Omit<DelegateStatement, 'delegate'> & { signature: Hex } }> {
  const delegate = test.address(signer);
  const typed = delegateStatementTypedData(
    test.deployment.chainId,
    test.deployment.contracts.governor,
    { delegate, ...fields },
  );
  const signature = await privateKeyToAccount(test.keys[by]!).signTypedData(typed);
  return { delegate, body: { ...fields, signature } };
}

const post = (indexer: Indexer, delegate: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${indexer.url}/delegates/${delegate}/statements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

/** Anvil key `from` gives `to` one token, or delegates its votes to `to`; then every indexer has read it. */
async function token(from: number, call: 'transfer' | 'delegate', to: Hex) {
  const wallet = test.chain.wallet(test.keys[from]!);
  const { token: address } = test.deployment.contracts;
  await test.chain.confirm(
    call === 'transfer'
      ? wallet.writeContract({
          address,
          abi: charterTokenAbi,
          functionName: 'transfer',
          args: [to, parseEther('1')],
          gas: 300_000n,
        })
      : wallet.writeContract({
          address,
          abi: charterTokenAbi,
          functionName: 'delegate',
          args: [to],
          gas: 300_000n,
        }),
  );
  await Promise.all(targets.map(({ indexer }) => waitForHead(test, indexer.status)));
}

async function refusal(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('delegate statements on PGlite and PostgreSQL', () => {
  it('stores signed versions, shows the newest on the delegate and the list, keeps the history', async () => {
    for (const { kind, indexer } of targets) {
      const client = createIndexerClient(indexer.url);
      const issuedAt = now() - 100;
      const first = await signed(1, {
        statement: '# Evidence first\n\nI vote for what reproduces.',
        interests: ['safety', 'evaluation rigor'],
        issuedAt,
      });
      // Read (and cached, with its ETag) before the statement exists.
      const before = await fetch(`${indexer.url}/delegates/${first.delegate}`);
      expect(((await before.json()) as { statement: unknown }).statement, kind).toBeNull();
      const etag = before.headers.get('etag')!;

      const changes: Change[] = [];
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      const stop = client.subscribe((change) => changes.push(change), { onOpen: open });
      await opened;

      const stored = await client.delegates.publishStatement(first.delegate, first.body);
      expect(stored, kind).toMatchObject({
        delegate: first.delegate,
        version: 1,
        issuedAt,
        interests: ['safety', 'evaluation rigor'],
        signature: first.body.signature.toLowerCase(),
      });

      // Neither the cached answer nor the client's ETag hides it.
      const again = await fetch(`${indexer.url}/delegates/${first.delegate}`, {
        headers: { 'if-none-match': etag },
      });
      expect(again.status, kind).toBe(200);
      expect(again.headers.get('etag'), kind).not.toBe(etag);
      expect(((await again.json()) as { statement: unknown }).statement, kind).toEqual({
        statement: first.body.statement,
        interests: first.body.interests,
        issuedAt,
        version: 1,
      });
      const deadline = Date.now() + 10_000;
      while (!changes.some((c) => c.kind === 'delegate' && c.id === first.delegate)) {
        if (Date.now() > deadline) throw new Error(`${kind}: no change announced`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      stop();

      const second = await signed(1, {
        statement: 'Second thoughts.',
        interests: ['cost'],
        issuedAt: issuedAt + 10,
      });
      advance(interval);
      await client.delegates.publishStatement(second.delegate, second.body);
      const { items } = await client.delegates.list();
      const listed = items.find((item) => item.address === first.delegate)!;
      expect(listed.statement, kind).toMatchObject({ version: 2, statement: 'Second thoughts.' });
      expect(items.find((item) => item.address === test.address(2))!.statement, kind).toBeNull();

      const history = await client.delegates.statements(first.delegate);
      expect(
        history.items.map((v) => v.version),
        kind,
      ).toEqual([2, 1]);
      const paged = await client.delegates.statements(first.delegate, { limit: 1 });
      expect(
        paged.items.map((v) => v.version),
        kind,
      ).toEqual([2]);
      const rest = await client.delegates.statements(first.delegate, {
        limit: 1,
        cursor: paged.nextCursor!,
      });
      expect(
        rest.items.map((v) => v.version),
        kind,
      ).toEqual([1]);
      expect(rest.nextCursor, kind).toBeNull();
      expect((await client.delegates.statements(test.address(3))).items, kind).toEqual([]);
    }
  });

  it('refuses forged, replayed, stale, future and malformed statements, naming what was wrong', async () => {
    for (const { kind, indexer } of targets) {
      const issuedAt = now() - 50;
      const valid = await signed(2, { statement: 'Mine.', interests: ['openness'], issuedAt });

      const forged = await signed(2, { statement: 'Not mine.', interests: ['cost'], issuedAt }, 3);
      const wrong = await refusal(await post(indexer, forged.delegate, forged.body));
      expect(wrong.status, kind).toBe(401);
      expect(wrong.body.error, kind).toBe('wrong_signer');
      expect(wrong.body.message, kind).toContain(`not ${forged.delegate}'s`);
      // Someone else's valid signature does not verify for another address either.
      const moved = await refusal(await post(indexer, test.address(3), valid.body));
      expect(moved.status, kind).toBe(401);

      expect((await post(indexer, valid.delegate, valid.body)).status, kind).toBe(201);
      const replayed = await refusal(await post(indexer, valid.delegate, valid.body));
      expect(replayed, kind).toMatchObject({ status: 409, body: { error: 'duplicate' } });
      expect(replayed.body.message, kind).toMatch(/already stored, as version 1/);

      const older = await signed(2, {
        statement: 'Older.',
        interests: ['cost'],
        issuedAt: issuedAt - 1,
      });
      const stale = await refusal(await post(indexer, older.delegate, older.body));
      expect(stale, kind).toMatchObject({ status: 409, body: { error: 'stale' } });
      expect(stale.body.message, kind).toMatch(/is not after the newest stored statement's/);

      const ahead = await signed(2, {
        statement: 'Later.',
        interests: ['cost'],
        issuedAt: now() + 3600,
      });
      const future = await refusal(await post(indexer, ahead.delegate, ahead.body));
      expect(future, kind).toMatchObject({
        status: 400,
        body: { error: 'bad_request', parameter: 'issuedAt' },
      });
      expect(future.body.message, kind).toMatch(/seconds ahead of the indexer's clock/);

      const badFields: [unknown, string, RegExp][] = [
        [{ ...valid.body, interests: ['vibes'] }, 'interests', /unknown interest "vibes"/],
        [{ ...valid.body, interests: [] }, 'interests', /between 1 and 5/],
        [{ ...valid.body, statement: 'x'.repeat(10_001) }, 'statement', /at most 10000/],
        [{ ...valid.body, issuedAt: 'yesterday' }, 'issuedAt', /unix seconds/],
        [{ ...valid.body, signature: undefined }, 'signature', /0x-prefixed hex/],
        [{ ...valid.body, delegate: valid.delegate }, 'delegate', /not a field/],
        ['{"statement":', 'body', /must be JSON/],
        ['[]', 'body', /JSON object/],
      ];
      for (const [body, parameter, message] of badFields) {
        const refused = await refusal(await post(indexer, valid.delegate, body));
        expect(refused.status, `${kind} ${parameter}`).toBe(400);
        expect(refused.body.parameter, kind).toBe(parameter);
        expect(refused.body.message, kind).toMatch(message);
      }
      const badAddress = await refusal(await post(indexer, '0x1234', valid.body));
      expect(badAddress.body.parameter, kind).toBe('address');

      const huge = await refusal(
        await post(indexer, valid.delegate, { ...valid.body, statement: 'x'.repeat(70_000) }),
      );
      expect(huge, kind).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });

      const put = await fetch(`${indexer.url}/delegates/${valid.delegate}/statements`, {
        method: 'PUT',
      });
      expect(put.status, kind).toBe(405);
      expect(put.headers.get('allow'), kind).toBe('GET, HEAD, POST, OPTIONS');
      // Every other route stays read-only.
      const proposals = await fetch(`${indexer.url}/proposals`, { method: 'POST', body: '{}' });
      expect(proposals.status, kind).toBe(405);
      const elsewhere = await fetch(`${indexer.url}/delegates/${valid.delegate}`, {
        method: 'POST',
      });
      expect(elsewhere.status, kind).toBe(405);

      // Nothing refused was stored.
      const client = createIndexerClient(indexer.url);
      const history = await client.delegates.statements(valid.delegate);
      expect(
        history.items.map((v) => v.statement),
        kind,
      ).toEqual(['Mine.']);
      await expect(
        client.delegates.publishStatement(valid.delegate, valid.body),
      ).rejects.toMatchObject({ status: 409, code: 'duplicate' } satisfies Partial<IndexerError>);
    }
  });

  it('refuses a script of fresh keys (403): only holders and delegates publish, signature checked first', async () => {
    // The attack: keys cost nothing, and each key's own signature used to be all a statement needed.
    const strangers = Array.from({ length: 5 }, () => privateKeyToAccount(generatePrivateKey()));
    for (const { kind, indexer } of targets) {
      for (const stranger of strangers) {
        const delegate = stranger.address.toLowerCase() as Hex;
        const fields = { statement: 'x'.repeat(10_000), interests: ['cost'], issuedAt: now() - 5 };
        const signature = await stranger.signTypedData(
          delegateStatementTypedData(test.deployment.chainId, test.deployment.contracts.governor, {
            delegate,
            ...fields,
          }),
        );
        const refused = await refusal(await post(indexer, delegate, { ...fields, signature }));
        expect(refused, kind).toMatchObject({ status: 403, body: { error: 'not_a_stakeholder' } });
        const block = Number(/at block (\d+):/.exec(refused.body.message as string)?.[1]);
        expect(block, kind).toBeGreaterThan(0);
        expect(block, kind).toBeLessThanOrEqual(indexer.status.indexedBlock);
        expect(refused.body.message, kind).toBe(
          `${delegate} holds no tokens and no voting power at block ${block}: only holders and delegates publish statements`,
        );
        const { items } = await createIndexerClient(indexer.url).delegates.statements(delegate);
        expect(items, kind).toEqual([]);
      }
    }

    // Key 5 holds nothing yet: someone else's signature for it is still a 401, its own a 403.
    const holder = await signed(5, {
      statement: 'Holder.',
      interests: ['cost'],
      issuedAt: now() - 5,
    });
    const delegatee = await signed(9, {
      statement: 'Delegatee.',
      interests: ['privacy'],
      issuedAt: now() - 5,
    });
    const forged = await signed(
      5,
      { statement: 'Forged.', interests: ['cost'], issuedAt: now() },
      6,
    );
    for (const { kind, indexer } of targets) {
      expect((await post(indexer, forged.delegate, forged.body)).status, kind).toBe(401);
      expect((await post(indexer, holder.delegate, holder.body)).status, kind).toBe(403);
      expect((await post(indexer, delegatee.delegate, delegatee.body)).status, kind).toBe(403);
    }
    // A holder (without delegating) publishes; so does one holding nothing whom a holder delegates to.
    await token(1, 'transfer', holder.delegate);
    for (const { kind, indexer } of targets) {
      expect((await post(indexer, holder.delegate, holder.body)).status, kind).toBe(201);
      expect((await post(indexer, delegatee.delegate, delegatee.body)).status, kind).toBe(403);
    }
    await token(5, 'delegate', delegatee.delegate);
    for (const { kind, indexer } of targets) {
      expect((await post(indexer, delegatee.delegate, delegatee.body)).status, kind).toBe(201);
    }
  });

  it('takes one new version per address per interval (429, Retry-After) and keeps the newest few', async () => {
    const version = (n: number) =>
      signed(2, { statement: `Version ${n}.`, interests: ['openness'], issuedAt: now() - 40 + n });
    // Key 2 stored "Mine." (version 1) in the test before, at the clock as it is now.
    const [mine] = (
      await createIndexerClient(targets[0]!.indexer.url).delegates.statements(test.address(2))
    ).items;
    expect(mine?.statement).toBe('Mine.');
    const early = await version(2);
    for (const { kind, indexer } of targets) {
      const response = await post(indexer, early.delegate, early.body);
      expect(response.status, kind).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter, kind).toBeGreaterThan(0);
      expect(retryAfter, kind).toBeLessThanOrEqual(interval);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.error, kind).toBe('rate_limited');
      expect(body.message, kind).toMatch(
        new RegExp(`one new version per ${interval} seconds; the next in ${retryAfter} seconds`),
      );
    }
    advance(interval);
    for (const { kind, indexer } of targets) {
      expect((await post(indexer, early.delegate, early.body)).status, kind).toBe(201);
    }
    // Versions 3 and 4: the oldest beyond the newest `maxVersions` go, version 1 first.
    for (const n of [3, 4]) {
      advance(interval);
      const next = await version(n);
      for (const { kind, indexer } of targets) {
        expect((await post(indexer, next.delegate, next.body)).status, kind).toBe(201);
      }
    }
    for (const { kind, indexer } of targets) {
      const client = createIndexerClient(indexer.url);
      const { items } = await client.delegates.statements(test.address(2));
      expect(
        items.map((v) => [v.version, v.statement]),
        kind,
      ).toEqual([
        [4, 'Version 4.'],
        [3, 'Version 3.'],
        [2, 'Version 2.'],
      ]);
      expect((await client.delegates.get(test.address(2))).statement?.version, kind).toBe(4);
    }
    // Version 1's signature, no longer stored, still cannot come back: it is older than the newest.
    advance(interval);
    const { statement, interests, issuedAt, signature } = mine!;
    for (const { kind, indexer } of targets) {
      const replayed = await refusal(
        await post(indexer, test.address(2), { statement, interests, issuedAt, signature }),
      );
      expect(replayed, kind).toMatchObject({ status: 409, body: { error: 'stale' } });
    }
    // The OpenAPI document names both new refusals.
    const document = (await (await fetch(`${targets[0]!.indexer.url}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    const { responses } = document.paths['/delegates/{address}/statements']!.post!;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['403', '429']));
  });

  it("accepts a smart-contract wallet's statement when the wallet says it signed (ERC-1271), and only then", async () => {
    // Two one-line wallets: `isValidSignature` answers the magic value 0x1626ba7e to anything, or never.
    const wallet = (magic: string, byte: string) => ({
      address: `0x${byte.repeat(20)}` as Hex,
      bytecode: `0x63${magic}60e01b60005260206000f3` as Hex,
    });
    const accepting = wallet('1626ba7e', 'c1');
    const refusing = wallet('ffffffff', 'c2');
    for (const { address, bytecode } of [accepting, refusing]) {
      await test.chain.test.setCode({ address, bytecode });
    }
    // The accepting wallet holds tokens: a stakeholder, as any publisher must be.
    await token(1, 'transfer', accepting.address);
    // Not a key's signature of anything: only the wallet contract can vouch for it.
    const signature = `0x${'11'.repeat(65)}`;
    for (const { kind, indexer } of targets) {
      const body = {
        statement: 'A multisig speaks.',
        interests: ['openness'],
        issuedAt: now() - 5,
      };
      const stored = await post(indexer, accepting.address, { ...body, signature });
      expect(stored.status, kind).toBe(201);
      const refused = await refusal(await post(indexer, refusing.address, { ...body, signature }));
      expect(refused, kind).toMatchObject({ status: 401, body: { error: 'wrong_signer' } });
    }
  });

  it('keeps statements through a reorg of the blocks indexed while they were stored', async () => {
    const { chain } = test;
    const caughtUp = () =>
      Promise.all(targets.map(({ indexer }) => waitForHead(test, indexer.status)));
    const transfer = (to: number) =>
      chain.confirm(
        chain.wallet(test.keys[1]!).writeContract({
          address: test.deployment.contracts.token,
          abi: charterTokenAbi,
          functionName: 'transfer',
          args: [test.address(to), parseEther('1')],
          gas: 300_000n,
        }),
      );
    await caughtUp();
    const snapshot = await chain.test.snapshot();
    await transfer(6);
    await transfer(7);
    await caughtUp();
    const statement = await signed(3, {
      statement: 'Written during a branch that will be replaced.',
      interests: ['model quality'],
      issuedAt: now() - 10,
    });
    for (const { indexer } of targets) {
      expect((await post(indexer, statement.delegate, statement.body)).status).toBe(201);
    }
    await chain.test.revert({ id: snapshot });
    await transfer(8);
    await chain.advanceTime(10);
    await caughtUp();
    for (const { kind, indexer } of targets) {
      const { items } = await createIndexerClient(indexer.url).delegates.statements(
        statement.delegate,
      );
      expect(
        items.map((v) => v.statement),
        kind,
      ).toEqual([statement.body.statement]);
      // The reorg did happen: the replaced branch's transfer is gone.
      const account = await createIndexerClient(indexer.url).accounts.get(test.address(6));
      expect(account.balance, kind).toBe('0');
    }
  });
});
