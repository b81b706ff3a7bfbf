import type { Deployment } from '@charter/contracts';
import { proposalKindOf, type ProposalKind } from '@charter/contracts/protocol';
import {
  decodeFunctionData,
  toFunctionSignature,
  type Abi,
  type AbiFunction,
  type Hex,
} from 'viem';

import { contractAbis, type ContractName } from './decodeLogs';

export interface DecodedAction {
  kind: ProposalKind;
  contract: ContractName | null;
  functionName: string | null;
  signature: string | null;
  /** JSON-safe arguments: uint256s as decimal strings, structs as objects. */
  args: unknown[] | null;
}

/** Decodes a proposal's call with the ABI of the project contract it targets, if it targets one. */
export function decodeAction(deployment: Deployment, target: Hex, calldata: Hex): DecodedAction {
  const contract = (Object.keys(contractAbis) as ContractName[]).find(
    (name) => deployment.contracts[name].toLowerCase() === target.toLowerCase(),
  );
  const unknown: DecodedAction = {
    kind: proposalKindOf(contract, null),
    contract: contract ?? null,
    functionName: null,
    signature: null,
    args: null,
  };
  if (!contract || calldata.length < 10) return unknown;
  const abi = contractAbis[contract] as Abi;
  try {
    const { functionName, args } = decodeFunctionData({ abi, data: calldata });
    const item = abi.find(
      (entry): entry is AbiFunction => entry.type === 'function' && entry.name === functionName,
    )!;
    return {
      kind: proposalKindOf(contract, functionName),
      contract,
      functionName,
      signature: toFunctionSignature(item),
      args: toJson(args ?? []) as unknown[],
    };
  } catch {
    return unknown;
  }
}

function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) return value.toLowerCase();
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  }
  return value;
}
