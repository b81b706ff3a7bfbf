import type { Deployment } from '@charter/contracts';

import type { Governance } from '../../client/types';
import type { Database } from '../../database/openDatabase';
import { governance, syncState } from '../../database/schema';

export async function getGovernance(
  db: Database,
  deployment: Deployment,
): Promise<Governance | undefined> {
  const [[row], [sync]] = await Promise.all([
    db.select().from(governance),
    db.select().from(syncState),
  ]);
  if (!row || !sync) return undefined;
  const lower = (address: string) => address.toLowerCase();
  const { contracts } = deployment;
  return {
    chainId: deployment.chainId,
    addresses: {
      token: lower(contracts.token),
      timelock: lower(contracts.timelock),
      governor: lower(contracts.governor),
      evidenceRegistry: lower(contracts.evidenceRegistry),
      policyRegistry: lower(contracts.policyRegistry),
      modelRegistry: lower(contracts.modelRegistry),
    },
    name: row.name,
    votingDelay: row.votingDelay,
    votingPeriod: row.votingPeriod,
    proposalThreshold: row.proposalThreshold.toString(),
    quorumNumerator: row.quorumNumerator.toString(),
    quorumDenominator: row.quorumDenominator.toString(),
    lateQuorumVoteExtension: row.lateQuorumVoteExtension,
    timelockDelay: row.timelockDelay,
    // The governor answers no guardian from the end of its term on.
    proposalGuardian:
      row.guardianTermEnd !== null && sync.indexedTimestamp < row.guardianTermEnd
        ? row.proposalGuardian
        : null,
    appointedGuardian: row.proposalGuardian,
    guardianTermEnd: row.guardianTermEnd,
    approvalWindow: row.approvalWindow,
    maxSuspension: row.maxSuspension,
    gameParameters: {
      challengePeriod: row.challengePeriod,
      minBond: row.minBond.toString(),
      disputeBond: row.disputeBond.toString(),
      unbondingDelay: row.unbondingDelay,
      resolutionTimeout: row.resolutionTimeout,
      disputerShareBps: row.disputerShareBps,
    },
    resolver: row.resolver,
    tokenName: row.tokenName,
    tokenSymbol: row.tokenSymbol,
    totalSupply: row.totalSupply.toString(),
    indexedBlock: sync.indexedBlock,
    indexedTimestamp: sync.indexedTimestamp,
  };
}
