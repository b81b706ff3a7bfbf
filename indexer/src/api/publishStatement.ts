import type { Deployment } from '@charter/contracts';
import {
  checkDelegateStatement,
  delegateStatementTypedData,
  maxStatementClockSkewSeconds,
} from '@charter/contracts/protocol';
import type { Context } from 'hono';
import { verifyTypedData, type Hex, type PublicClient } from 'viem';

import type { PublishedStatementVersion } from '../client/types';
import type { Database } from '../database/openDatabase';
import { BadRequest } from './params';
import {
  isStakeholder,
  StatementConflict,
  StatementTooSoon,
  storeStatement,
  type StatementLimits,
} from './queries/statements';
import { readAtIndexedBlock } from './readAtIndexedBlock';

/** A larger body gets a 413: a statement of 10,000 characters is well under it, even all escaped. */
export const maxStatementBodyBytes = 64 * 1024;

export interface PublishStatementOptions {
  db: Database;
  deployment: Deployment;
  /**
   * Asks the chain whether a smart-contract wallet signed (ERC-1271 / ERC-6492), for a signature that
   * does not recover to the delegate; without it only keys (EOAs) can sign.
   */
  publicClient?: PublicClient;
  /** One version per address per interval, and the versions kept (`defaultStatementLimits` unless given). */
  limits?: StatementLimits;
  /** Unix seconds now (tests move it). */
  now?: () => number;
}

/**
 * `POST /delegates/:address/statements`: checks the statement with the protocol's rules, verifies that
 * `delegate` signed it for this chain and governor, that `delegate` holds tokens or voting power at the
 * indexed block, and stores it as the delegate's next version. Answers 201 with the version stored, or
 * an error naming what was wrong: 400 a field, 401 the signer, 403 an address with no stake, 409 a
 * signature stored before or a statement not newer than the stored one, 429 a version too soon after
 * the last.
 */
export async function publishStatement(
  c: Context,
  delegate: `0x${string}`,
  {
    db,
    deployment,
    publicClient,
    limits,
    now = () => Math.floor(Date.now() / 1000),
  }: PublishStatementOptions,
): Promise<Response> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new BadRequest('body', 'must be JSON: { statement, interests, issuedAt, signature }');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest(
      'body',
      'must be a JSON object: { statement, interests, issuedAt, signature }',
    );
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter(
    (key) => !['statement', 'interests', 'issuedAt', 'signature'].includes(key),
  );
  if (unknown.length) throw new BadRequest(unknown[0]!, 'is not a field of a statement');
  const [problem] = checkDelegateStatement({
    statement: fields.statement,
    interests: fields.interests,
    issuedAt: fields.issuedAt,
    signature: fields.signature ?? null,
  });
  if (problem) throw new BadRequest(problem.field, problem.message);
  const statement = fields.statement as string;
  const interests = fields.interests as string[];
  const issuedAt = fields.issuedAt as number;
  const signature = (fields.signature as string).toLowerCase() as Hex;
  const ahead = issuedAt - now();
  if (ahead > maxStatementClockSkewSeconds) {
    throw new BadRequest(
      'issuedAt',
      `is ${ahead} seconds ahead of the indexer's clock; at most ${maxStatementClockSkewSeconds} are allowed`,
    );
  }

  const typed = delegateStatementTypedData(deployment.chainId, deployment.contracts.governor, {
    delegate,
    statement,
    interests,
    issuedAt,
  });
  let signed = false;
  try {
    signed = await verifyTypedData({ ...typed, address: delegate, signature });
  } catch {
    // A signature that is not 65 bytes of r, s, v: maybe a contract wallet's, else nobody's.
  }
  if (!signed && publicClient && (await publicClient.getCode({ address: delegate }))) {
    signed = await publicClient
      .verifyTypedData({ ...typed, address: delegate, signature })
      .catch(() => false);
  }
  if (!signed) {
    return c.json(
      {
        error: 'wrong_signer',
        message: `the signature is not ${delegate}'s over this statement (chain ${deployment.chainId}, governor ${deployment.contracts.governor.toLowerCase()})`,
      },
      401,
    );
  }

  // After the signature, so that a forged statement for a stakeholder stays a 401.
  const { at, value: stakeholder } = await readAtIndexedBlock(db, (tx) =>
    isStakeholder(tx, delegate),
  );
  if (!stakeholder) {
    return c.json(
      {
        error: 'not_a_stakeholder',
        message: `${delegate} holds no tokens and no voting power at block ${at.indexedBlock}: only holders and delegates publish statements`,
      },
      403,
    );
  }

  try {
    const stored = await storeStatement(
      db,
      {
        delegate,
        statement,
        interests,
        issuedAt,
        signature,
        receivedAt: now(),
      },
      limits,
    );
    return c.json({ delegate, ...stored } satisfies PublishedStatementVersion, 201);
  } catch (error) {
    if (error instanceof StatementConflict) {
      return c.json({ error: error.reason, message: error.message }, 409);
    }
    if (error instanceof StatementTooSoon) {
      c.header('Retry-After', String(error.retryAfter));
      return c.json({ error: 'rate_limited', message: error.message }, 429);
    }
    throw error;
  }
}
