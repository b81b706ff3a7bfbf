import { encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';

/** `EvidenceRegistry.resultId`: the slot of an evaluator's live result for (model, suite). */
export function resultId(modelId: Hex, suiteId: Hex, evaluator: Address): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'address' }],
      [modelId, suiteId, evaluator],
    ),
  );
}
