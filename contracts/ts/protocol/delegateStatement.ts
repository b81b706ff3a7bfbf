// A delegate's statement: markdown and declared interests, signed (EIP-712) by the delegate's address and
// kept off-chain by the indexer. The indexer and the web app check a statement with the same function,
// `checkDelegateStatement`, so a form refuses what the indexer would refuse, in the same words.
import { isAddress, type Address } from 'viem';

/** The interests a delegate may declare, in the order forms list them. */
export const delegateInterests = [
  'safety',
  'model quality',
  'evaluation rigor',
  'openness',
  'cost',
  'privacy',
] as const;
export type DelegateInterest = (typeof delegateInterests)[number];

/** A statement's markdown, in characters (UTF-16 code units, as a textarea's maxlength counts them). */
export const maxStatementLength = 10_000;
export const minInterests = 1;
export const maxInterests = 5;
/** How far ahead of the indexer's clock a statement's `issuedAt` may be (clocks differ a little). */
export const maxStatementClockSkewSeconds = 5 * 60;

export const delegateStatementDomainName = 'Charter delegate statements';

/** The signing domain: one per chain and governor, so a statement cannot be replayed to another DAO. */
export const delegateStatementDomain = (chainId: number, governor: Address) =>
  ({
    name: delegateStatementDomainName,
    version: '1',
    chainId,
    verifyingContract: governor,
  }) as const;

export const delegateStatementTypes = {
  Statement: [
    { name: 'delegate', type: 'address' },
    { name: 'statement', type: 'string' },
    { name: 'interests', type: 'string[]' },
    { name: 'issuedAt', type: 'uint64' },
  ],
} as const;

/** What a delegate signs: `issuedAt` in unix seconds; a newer one replaces the statement shown. */
export interface DelegateStatement {
  delegate: Address;
  statement: string;
  interests: string[];
  issuedAt: number;
}

/** The typed data to sign or verify (viem's `signTypedData` / `verifyTypedData` take it as it is). */
export function delegateStatementTypedData(
  chainId: number,
  governor: Address,
  { delegate, statement, interests, issuedAt }: DelegateStatement,
) {
  return {
    domain: delegateStatementDomain(chainId, governor),
    types: delegateStatementTypes,
    primaryType: 'Statement',
    message: { delegate, statement, interests, issuedAt: BigInt(issuedAt) },
  } as const;
}

/** One thing wrong with a statement: the field at fault and what is wrong, in words. */
export interface StatementProblem {
  field: 'delegate' | 'statement' | 'interests' | 'issuedAt' | 'signature';
  message: string;
}

/**
 * Everything wrong with a statement as received (any JSON), in words; empty when it may be signed or
 * stored. The signature, when given, is only checked for its form here: whether it is the delegate's is
 * the indexer's question.
 */
export function checkDelegateStatement(input: {
  delegate?: unknown;
  statement?: unknown;
  interests?: unknown;
  issuedAt?: unknown;
  signature?: unknown;
}): StatementProblem[] {
  const problems: StatementProblem[] = [];
  const { delegate, statement, interests, issuedAt, signature } = input;
  if ('delegate' in input && !(typeof delegate === 'string' && isAddress(delegate))) {
    problems.push({ field: 'delegate', message: 'delegate must be a 0x-prefixed address' });
  }
  if (typeof statement !== 'string') {
    problems.push({ field: 'statement', message: 'statement must be a string of markdown' });
  } else if (statement.trim() === '') {
    problems.push({ field: 'statement', message: 'statement is empty' });
  } else if (statement.length > maxStatementLength) {
    problems.push({
      field: 'statement',
      message: `statement is ${statement.length} characters long; at most ${maxStatementLength} are allowed`,
    });
  }
  if (!Array.isArray(interests) || interests.some((interest) => typeof interest !== 'string')) {
    problems.push({ field: 'interests', message: 'interests must be a list of strings' });
  } else {
    const unknown = (interests as string[]).filter(
      (interest) => !(delegateInterests as readonly string[]).includes(interest),
    );
    if (unknown.length) {
      problems.push({
        field: 'interests',
        message: `unknown interest ${unknown.map((i) => JSON.stringify(i)).join(', ')}; choose from ${delegateInterests.join(', ')}`,
      });
    } else if (new Set(interests).size !== interests.length) {
      problems.push({ field: 'interests', message: 'interests must not repeat' });
    } else if (interests.length < minInterests || interests.length > maxInterests) {
      problems.push({
        field: 'interests',
        message: `declare between ${minInterests} and ${maxInterests} interests (${interests.length} given)`,
      });
    }
  }
  if (
    typeof issuedAt !== 'number' ||
    !Number.isSafeInteger(issuedAt) ||
    issuedAt <= 0 ||
    issuedAt >= 2 ** 40 // unix seconds far beyond any real clock, well inside uint64
  ) {
    problems.push({
      field: 'issuedAt',
      message: 'issuedAt must be a positive integer of unix seconds',
    });
  }
  if (
    'signature' in input &&
    !(typeof signature === 'string' && /^0x[0-9a-fA-F]+$/.test(signature))
  ) {
    problems.push({ field: 'signature', message: 'signature must be 0x-prefixed hex' });
  }
  return problems;
}

/** A stored statement as the indexer serves it: the newest on a delegate, every version in its history. */
export interface PublishedStatement {
  statement: string;
  interests: string[];
  issuedAt: number;
  /** 1 for the delegate's first statement, counting up. */
  version: number;
}
