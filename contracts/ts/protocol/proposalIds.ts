import { encodeAbiParameters, keccak256, toHex, type Address, type Hex } from 'viem';

// The ids the governor and the timelock derive from a proposal's actions and description.

/** One call a proposal makes. */
export interface ProposalAction {
  target: Address;
  value?: bigint;
  calldata: Hex;
}

/** `keccak256(bytes(description))`: how the governor and the timelock refer to a proposal's text. */
export const descriptionHash = (description: string): Hex => keccak256(toHex(description));

/** The governor's arrays for a list of actions, and the description's hash. */
export function proposalArgs(actions: readonly ProposalAction[], description: string) {
  return {
    targets: actions.map((a) => a.target),
    values: actions.map((a) => a.value ?? 0n),
    calldatas: actions.map((a) => a.calldata),
    descriptionHash: descriptionHash(description),
  };
}

/** `Governor.hashProposal`. */
export function proposalId(actions: readonly ProposalAction[], description: string): bigint {
  const { targets, values, calldatas, descriptionHash } = proposalArgs(actions, description);
  return hashProposal(targets, values, calldatas, descriptionHash);
}

export function hashProposal(
  targets: readonly Address[],
  values: readonly bigint[],
  calldatas: readonly Hex[],
  descriptionHash: Hex,
): bigint {
  return BigInt(
    keccak256(
      encodeAbiParameters(
        [{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }],
        [targets, values, calldatas, descriptionHash],
      ),
    ),
  );
}

/** The id under which `GovernorTimelockControl` schedules a proposal: salt = governor ‖ 0s XOR descriptionHash. */
export function timelockOperationId(
  governor: Address,
  targets: readonly Address[],
  values: readonly bigint[],
  calldatas: readonly Hex[],
  descriptionHash: Hex,
): Hex {
  const salt = (BigInt(governor) << 96n) ^ BigInt(descriptionHash);
  return keccak256(
    encodeAbiParameters(
      [
        { type: 'address[]' },
        { type: 'uint256[]' },
        { type: 'bytes[]' },
        { type: 'bytes32' },
        { type: 'bytes32' },
      ],
      [targets, values, calldatas, `0x${'0'.repeat(64)}`, toHex(salt, { size: 32 })],
    ),
  );
}
