import {
  charterGovernorAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  type Deployment,
} from '@charter/contracts';
import { decodeEventLog, type Log } from 'viem';

/** The contract events the notifier reads; everything else the contracts emit is skipped. */
const wanted = new Set([
  'ProposalCreated',
  'ProposalQueued',
  'ProposalExecuted',
  'ProposalCanceled',
  'VoteCast',
  'VoteCastWithParams',
  'ModelRegistered',
  'ModelApproved',
  'ModelDeprecated',
  'ModelRevoked',
  'ModelSuspended',
  'ResultSubmitted',
  'ResultDisputed',
]);

export interface DecodedLog {
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  transactionHash: string;
}

/** The deployment's addresses whose logs are read. */
export const followedAddresses = (deployment: Deployment) => [
  deployment.contracts.governor,
  deployment.contracts.modelRegistry,
  deployment.contracts.evidenceRegistry,
];

/** Decodes the logs of the followed contracts with their ABIs, in chain order; others are dropped. */
export function decodeEvents(deployment: Deployment, logs: Log[]): DecodedLog[] {
  const abiOf = new Map<string, readonly unknown[]>([
    [deployment.contracts.governor.toLowerCase(), charterGovernorAbi],
    [deployment.contracts.modelRegistry.toLowerCase(), modelRegistryAbi],
    [deployment.contracts.evidenceRegistry.toLowerCase(), evidenceRegistryAbi],
  ]);
  const decoded: DecodedLog[] = [];
  for (const log of logs) {
    const abi = abiOf.get(log.address.toLowerCase());
    if (!abi || log.blockNumber === null || log.blockHash === null || log.logIndex === null)
      continue;
    let event: { eventName: string; args: unknown };
    try {
      event = decodeEventLog({
        abi: abi as typeof charterGovernorAbi,
        data: log.data,
        topics: log.topics,
      });
    } catch {
      continue;
    }
    if (!wanted.has(event.eventName)) continue;
    decoded.push({
      eventName: event.eventName,
      args: event.args as Record<string, unknown>,
      blockNumber: Number(log.blockNumber),
      blockHash: log.blockHash,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash ?? '',
    });
  }
  return decoded.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}
