import type { Address } from 'viem';

// EIP-712: how an evaluator signs a result for anyone to relay (`EvidenceRegistry.submitResultWithSignature`).

export const evidenceDomainName = 'Charter Evidence';
export const evidenceDomainVersion = '1';

export const evidenceDomain = (chainId: number, evidenceRegistry: Address) =>
  ({
    name: evidenceDomainName,
    version: evidenceDomainVersion,
    chainId,
    verifyingContract: evidenceRegistry,
  }) as const;

export const submissionTypes = {
  Submission: [
    { name: 'modelId', type: 'bytes32' },
    { name: 'suiteId', type: 'bytes32' },
    { name: 'metricIds', type: 'bytes32[]' },
    { name: 'values', type: 'uint256[]' },
    { name: 'reportDigest', type: 'bytes32' },
    { name: 'samplesRoot', type: 'bytes32' },
    { name: 'uri', type: 'string' },
    { name: 'evaluator', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;
