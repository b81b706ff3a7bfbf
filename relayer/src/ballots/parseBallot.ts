import { getAddress, isAddress, isHex, type Address, type Hex } from 'viem';

import { BadBallot } from '../errors';
import type { SignedBallot } from './types';

const maxUint256 = 2n ** 256n - 1n;
/** A reason longer than this is refused: it is paid for by the relayer, byte by byte. */
export const maxReasonLength = 10_000;
const maxParamsBytes = 1_024;

/** Checks a `POST /ballots` body field by field; the first bad one is named in a 400. */
export function parseBallot(body: unknown): SignedBallot {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadBallot('body', 'the body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const kind = fields.kind;
  if (kind === 'vote') {
    const support = fields.support;
    if (support !== 0 && support !== 1 && support !== 2) {
      throw new BadBallot('support', 'support must be 0 (against), 1 (for) or 2 (abstain)');
    }
    const reason = fields.reason ?? '';
    if (typeof reason !== 'string') throw new BadBallot('reason', 'reason must be a string');
    if (reason.length > maxReasonLength) {
      throw new BadBallot('reason', `reason must be at most ${maxReasonLength} characters`);
    }
    const params = fields.params ?? '0x';
    if (typeof params !== 'string' || !isHex(params, { strict: true }) || params.length % 2) {
      throw new BadBallot('params', 'params must be 0x-prefixed hex bytes ("0x" for none)');
    }
    if ((params.length - 2) / 2 > maxParamsBytes) {
      throw new BadBallot('params', `params must be at most ${maxParamsBytes} bytes`);
    }
    return {
      kind,
      proposalId: uint256(fields.proposalId, 'proposalId'),
      support,
      voter: address(fields.voter, 'voter'),
      reason,
      params: params.toLowerCase() as Hex,
      signature: signature(fields.signature),
    };
  }
  if (kind === 'delegation') {
    return {
      kind,
      delegator: address(fields.delegator, 'delegator'),
      delegatee: address(fields.delegatee, 'delegatee'),
      nonce: uint256(fields.nonce, 'nonce'),
      expiry: uint256(fields.expiry, 'expiry'),
      signature: signature(fields.signature),
    };
  }
  throw new BadBallot('kind', 'kind must be "vote" or "delegation"');
}

function uint256(value: unknown, name: string): bigint {
  if (typeof value !== 'string' || !/^\d{1,78}$/.test(value) || BigInt(value) > maxUint256) {
    throw new BadBallot(name, `${name} must be a uint256 written as a decimal string`);
  }
  return BigInt(value);
}

function address(value: unknown, name: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new BadBallot(name, `${name} must be a 0x-prefixed 20-byte address`);
  }
  return getAddress(value).toLowerCase() as Address;
}

function signature(value: unknown): Hex {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(value)) {
    throw new BadBallot('signature', 'signature must be 65 bytes of 0x-prefixed hex (r, s, v)');
  }
  return value.toLowerCase() as Hex;
}
