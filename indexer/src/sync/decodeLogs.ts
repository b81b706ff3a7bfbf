import {
  charterGovernorAbi,
  charterTokenAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  timelockControllerAbi,
  type Deployment,
} from '@charter/contracts';
import { decodeAbiParameters, toEventSelector, type Abi, type AbiParameter, type Hex } from 'viem';

import { decodeWords } from './decodeWords';

/** A log as `eth_getLogs` returns it. */
export interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  /** Not every node includes it; when absent the sync reads the block's header. */
  blockTimestamp?: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  removed?: boolean;
}

export const contractAbis = {
  token: charterTokenAbi,
  governor: charterGovernorAbi,
  timelock: timelockControllerAbi,
  evidenceRegistry: evidenceRegistryAbi,
  policyRegistry: policyRegistryAbi,
  modelRegistry: modelRegistryAbi,
} as const;

export type ContractName = keyof typeof contractAbis;

/** A log decoded with the project's ABIs, with where and when it happened. */
export interface ChainEvent {
  contract: ContractName;
  eventName: string;
  args: Record<string, unknown>;
  block: number;
  logIndex: number;
  tx: Hex;
  at: number;
}

interface EventDecoder {
  contract: ContractName;
  name: string;
  indexed: AbiParameter[];
  data: AbiParameter[];
}

/**
 * Decodes the deployment's logs; logs of events the indexer has no use for come back undefined. The ABI
 * items are looked up by address and topic once, and addresses are read lowercase without checksumming:
 * viem's `decodeEventLog` does both per log, which dominated the cost of a backfill.
 */
export function createLogDecoder(deployment: Deployment) {
  const decoders = new Map<string, EventDecoder>();
  for (const [contract, abi] of Object.entries(contractAbis) as [ContractName, Abi][]) {
    const address = deployment.contracts[contract].toLowerCase();
    for (const item of abi) {
      if (item.type !== 'event') continue;
      decoders.set(`${address}:${toEventSelector(item)}`, {
        contract,
        name: item.name,
        indexed: item.inputs.filter((input) => input.indexed),
        data: item.inputs.filter((input) => !input.indexed),
      });
    }
  }

  return (log: RawLog, timestamp: number): ChainEvent | undefined => {
    const decoder = decoders.get(`${log.address.toLowerCase()}:${log.topics[0]}`);
    if (!decoder) return undefined;
    const args: Record<string, unknown> = {};
    decoder.indexed.forEach((input, i) => {
      args[input.name!] = decodeTopic(input, log.topics[i + 1]!);
    });
    if (decoder.data.length) {
      const values = decodeWords(decoder.data, log.data);
      decoder.data.forEach((input, i) => {
        args[input.name!] = lowercase(input, values[i]);
      });
    }
    return {
      contract: decoder.contract,
      eventName: decoder.name,
      args,
      block: Number(log.blockNumber),
      logIndex: Number(log.logIndex),
      tx: log.transactionHash.toLowerCase() as Hex,
      at: timestamp,
    };
  };
}

function decodeTopic(input: AbiParameter, topic: Hex): unknown {
  if (input.type === 'address') return `0x${topic.slice(26)}`.toLowerCase();
  if (input.type === 'bytes32') return topic.toLowerCase();
  // Indexed strings, bytes, arrays and structs are stored as their hash.
  if (/^(string|bytes)$|[[(]|^tuple/.test(input.type)) return topic;
  return decodeAbiParameters([input], topic)[0];
}

/** viem checksums addresses; the database keeps them lowercase. */
function lowercase(input: AbiParameter, value: unknown): unknown {
  if (input.type === 'address') return (value as string).toLowerCase();
  if (input.type === 'address[]')
    return (value as string[]).map((address) => address.toLowerCase());
  return value;
}

/** The deployment's addresses, lowercase, for the `eth_getLogs` filter. */
export const deploymentAddresses = (deployment: Deployment): Hex[] =>
  Object.keys(contractAbis).map(
    (name) => deployment.contracts[name as ContractName].toLowerCase() as Hex,
  );
