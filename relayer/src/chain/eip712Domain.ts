import type { Address, GetEip712DomainReturnType, PublicClient, TypedDataDomain } from 'viem';

/**
 * A contract's EIP-712 domain as ERC-5267 declares it: only the fields its `fields` bitmap marks (name,
 * version, chainId, verifyingContract, salt). viem's `getEip712Domain` also returns a zero `salt` when the
 * bitmap leaves it out (OpenZeppelin's `0x0f`); signing with that salt gives another domain separator, and
 * the contract recovers another signer.
 */
export function eip712DomainOf(result: GetEip712DomainReturnType): TypedDataDomain {
  const bits = Number(BigInt(result.fields));
  const { name, version, chainId, verifyingContract, salt } = result.domain;
  return {
    ...(bits & 1 ? { name } : {}),
    ...(bits & 2 ? { version } : {}),
    ...(bits & 4 ? { chainId } : {}),
    ...(bits & 8 ? { verifyingContract } : {}),
    ...(bits & 16 ? { salt } : {}),
  };
}

/** Reads a contract's EIP-712 domain (ERC-5267). */
export async function readEip712Domain(
  client: PublicClient,
  address: Address,
): Promise<TypedDataDomain> {
  return eip712DomainOf(await client.getEip712Domain({ address }));
}
