// What a holder signs to vote or delegate without gas, for anyone (the relayer) to submit. The domains are
// the contracts' own: read them with viem's `getEip712Domain` (ERC-5267) rather than writing names here.

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
