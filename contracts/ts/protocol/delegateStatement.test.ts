import {
  concat,
  encodeAbiParameters,
  hashTypedData,
  keccak256,
  toHex,
  verifyTypedData,
  type Address,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';

import {
  checkDelegateStatement,
  delegateInterests,
  delegateStatementTypedData,
  maxInterests,
  maxStatementLength,
  type DelegateStatement,
} from './delegateStatement';

const alice = privateKeyToAccount(`0x${'11'.repeat(32)}`);
const mallory = privateKeyToAccount(`0x${'22'.repeat(32)}`);
const governor: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const statement: DelegateStatement = {
  delegate: alice.address,
  statement: '# Why I vote\n\nEvidence first.',
  interests: ['safety', 'evaluation rigor'],
  issuedAt: 1_800_000_000,
};

describe('delegate statement typed data', () => {
  it('hashes as EIP-712 encodes the Statement struct (string[] as the hash of its hashed items)', () => {
    const typeHash = keccak256(
      toHex('Statement(address delegate,string statement,string[] interests,uint64 issuedAt)'),
    );
    const interestsHash = keccak256(concat(statement.interests.map((i) => keccak256(toHex(i)))));
    const structHash = keccak256(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'address' },
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'uint64' },
        ],
        [
          typeHash,
          statement.delegate,
          keccak256(toHex(statement.statement)),
          interestsHash,
          1_800_000_000n,
        ],
      ),
    );
    const domainHash = keccak256(
      encodeAbiParameters(
        [
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'bytes32' },
          { type: 'uint256' },
          { type: 'address' },
        ],
        [
          keccak256(
            toHex(
              'EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)',
            ),
          ),
          keccak256(toHex('Charter delegate statements')),
          keccak256(toHex('1')),
          31337n,
          governor,
        ],
      ),
    );
    expect(hashTypedData(delegateStatementTypedData(31337, governor, statement))).toBe(
      keccak256(concat(['0x1901', domainHash, structHash])),
    );
  });

  it('verifies for the delegate only, on the chain and governor it was signed for', async () => {
    const typed = delegateStatementTypedData(31337, governor, statement);
    const signature = await alice.signTypedData(typed);
    expect(await verifyTypedData({ ...typed, address: alice.address, signature })).toBe(true);
    const forged = await mallory.signTypedData(typed);
    expect(await verifyTypedData({ ...typed, address: alice.address, signature: forged })).toBe(
      false,
    );
    const otherChain = delegateStatementTypedData(1, governor, statement);
    expect(await verifyTypedData({ ...otherChain, address: alice.address, signature })).toBe(false);
    const edited = delegateStatementTypedData(31337, governor, {
      ...statement,
      interests: ['cost'],
    });
    expect(await verifyTypedData({ ...edited, address: alice.address, signature })).toBe(false);
  });
});

describe('checkDelegateStatement', () => {
  const fields = (input: Parameters<typeof checkDelegateStatement>[0]) =>
    checkDelegateStatement(input).map((problem) => problem.field);

  it('accepts a statement within the limits', () => {
    expect(checkDelegateStatement({ ...statement, signature: '0xabcd' })).toEqual([]);
    expect(
      checkDelegateStatement({
        ...statement,
        statement: 'x'.repeat(maxStatementLength),
        interests: delegateInterests.slice(0, maxInterests),
      }),
    ).toEqual([]);
  });

  it('names each field that is wrong, in words', () => {
    expect(
      checkDelegateStatement({ ...statement, statement: 'x'.repeat(maxStatementLength + 1) }),
    ).toEqual([
      {
        field: 'statement',
        message: 'statement is 10001 characters long; at most 10000 are allowed',
      },
    ]);
    expect(
      checkDelegateStatement({ ...statement, interests: ['safety', 'vibes'] })[0]!.message,
    ).toBe(
      'unknown interest "vibes"; choose from safety, model quality, evaluation rigor, openness, cost, privacy',
    );
    expect(checkDelegateStatement({ ...statement, interests: [] })[0]!.message).toBe(
      'declare between 1 and 5 interests (0 given)',
    );
    expect(fields({ ...statement, interests: [...delegateInterests] })).toEqual(['interests']);
    expect(fields({ ...statement, interests: ['cost', 'cost'] })).toEqual(['interests']);
    expect(fields({ ...statement, interests: 'safety' })).toEqual(['interests']);
    expect(fields({ ...statement, statement: '  \n' })).toEqual(['statement']);
    expect(fields({ ...statement, statement: 42 })).toEqual(['statement']);
    expect(fields({ ...statement, issuedAt: '1800000000' })).toEqual(['issuedAt']);
    expect(fields({ ...statement, issuedAt: 1.5 })).toEqual(['issuedAt']);
    expect(fields({ ...statement, issuedAt: -1 })).toEqual(['issuedAt']);
    expect(fields({ ...statement, delegate: '0x1234' })).toEqual(['delegate']);
    expect(fields({ ...statement, signature: 'abcd' })).toEqual(['signature']);
    expect(fields({})).toEqual(['statement', 'interests', 'issuedAt']);
  });
});
