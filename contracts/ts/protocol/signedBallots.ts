// What a holder signs to vote or delegate without gas, for anyone (the relayer) to submit. The domains are
// the contracts' own: read them with `readEip712Domain` (ERC-5267) rather than writing names here.
import type { Address, Client, GetEip712DomainReturnType, TypedDataDomain } from 'viem';
import { getEip712Domain } from 'viem/actions';

/**
 * OpenZeppelin 5 Governor's `castVoteWithReasonAndParamsBySig`: the reason and params are signed with the
 * vote, so a relayer cannot change them. `nonce` is the governor's `nonces(voter)`.
 */
export const extendedBallotTypes = {
  ExtendedBallot: [
    { name: 'proposalId', type: 'uint256' },
    { name: 'support', type: 'uint8' },
    { name: 'voter', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'reason', type: 'string' },
    { name: 'params', type: 'bytes' },
  ],
} as const;

/** ERC20Votes' `delegateBySig`: `nonce` is the token's `nonces(delegator)`, `expiry` unix seconds. */
export const delegationTypes = {
  Delegation: [
    { name: 'delegatee', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'expiry', type: 'uint256' },
  ],
} as const;

/**
 * A contract's EIP-712 domain as ERC-5267 declares it: only the fields its `fields` bitmap marks (name,
 * version, chainId, verifyingContract, salt). viem's `getEip712Domain` also returns a zero `salt` when the
 * bitmap leaves it out (OpenZeppelin's `0x0f`); signing with that salt gives another domain separator, and
 * the contract recovers another signer.
 */
export function eip712DomainOf(
  reported: Pick<GetEip712DomainReturnType, 'domain' | 'fields'>,
): TypedDataDomain {
  const bits = Number(BigInt(reported.fields));
  const { name, version, chainId, verifyingContract, salt } = reported.domain;
  return {
    ...(bits & 1 ? { name } : {}),
    ...(bits & 2 ? { version } : {}),
    ...(bits & 4 ? { chainId } : {}),
    ...(bits & 8 ? { verifyingContract } : {}),
    ...(bits & 16 ? { salt } : {}),
  };
}

/** Reads the domain a contract signs under (ERC-5267 `eip712Domain()`), as `eip712DomainOf` keeps it. */
export async function readEip712Domain(client: Client, address: Address): Promise<TypedDataDomain> {
  return eip712DomainOf(await getEip712Domain(client, { address }));
}
