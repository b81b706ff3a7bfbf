// Every transaction the app sends, encoded with the contracts' ABIs. Loaded with the wallet code.
import {
  charterGovernorAbi,
  charterTokenAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
} from '@charter/contracts/abis';
import {
  comparators,
  evidenceDomain,
  proposalArgs,
  proposalId,
  shortNameToBytes32,
  submissionTypes,
  voteSupports,
  type Comparator,
  type ProposalAction,
  type VoteSupport,
} from '@charter/contracts/protocol';
import { encodeFunctionData, type Address, type Hex } from 'viem';

import type { Governance } from '$lib/indexer';
import type { Call } from './sendCall';

type Addresses = Governance['addresses'];

export type { ProposalAction };

export function castVote(
  governor: string,
  proposal: string,
  support: VoteSupport,
  reason: string,
): Call {
  return {
    to: governor as Address,
    data: encodeFunctionData({
      abi: charterGovernorAbi,
      functionName: 'castVoteWithReason',
      args: [BigInt(proposal), voteSupports.indexOf(support), reason],
    }),
  };
}

/** A proposal's actions as the indexer lists them, ready for queue and execute. */
export function actionsOf(
  actions: { target: string; value: string; calldata: string }[],
): ProposalAction[] {
  return actions.map((a) => ({
    target: a.target as Address,
    value: BigInt(a.value),
    calldata: a.calldata as Hex,
  }));
}

function lifecycleArgs(actions: ProposalAction[], description: string) {
  const { targets, values, calldatas, descriptionHash } = proposalArgs(actions, description);
  return [targets, values, calldatas, descriptionHash] as const;
}

export function queue(governor: string, actions: ProposalAction[], description: string): Call {
  return {
    to: governor as Address,
    data: encodeFunctionData({
      abi: charterGovernorAbi,
      functionName: 'queue',
      args: lifecycleArgs(actions, description),
    }),
  };
}

export function execute(governor: string, actions: ProposalAction[], description: string): Call {
  return {
    to: governor as Address,
    data: encodeFunctionData({
      abi: charterGovernorAbi,
      functionName: 'execute',
      args: lifecycleArgs(actions, description),
    }),
  };
}

export function propose(governor: string, actions: ProposalAction[], description: string): Call {
  const { targets, values, calldatas } = proposalArgs(actions, description);
  return {
    to: governor as Address,
    data: encodeFunctionData({
      abi: charterGovernorAbi,
      functionName: 'propose',
      args: [targets, values, calldatas, description],
    }),
  };
}

export function delegate(token: string, delegatee: string): Call {
  return {
    to: token as Address,
    data: encodeFunctionData({
      abi: charterTokenAbi,
      functionName: 'delegate',
      args: [delegatee as Address],
    }),
  };
}

/** A short name as the contracts store it (metric ids, policy ids). */
export const shortName = shortNameToBytes32;

export interface RuleInput {
  suiteId: Hex;
  metric: string;
  comparator: Comparator;
  /** Fixed-point, 18 decimals. */
  threshold: bigint;
}

/** What a guided form asks for; each becomes one proposal action. */
export type ActionInput =
  | { kind: 'approve-model'; modelId: Hex; policyId: Hex }
  | { kind: 'deprecate-model'; modelId: Hex }
  | { kind: 'revoke-model'; modelId: Hex; reason: string }
  | {
      kind: 'set-policy';
      policyName: string;
      rules: RuleInput[];
      minEvaluators: number;
      maxEvidenceAge: number;
      uri: string;
    }
  | { kind: 'admit-evaluator'; evaluator: Address; name: string }
  | { kind: 'remove-evaluator'; evaluator: Address }
  | { kind: 'register-suite'; suiteId: Hex; datasetDigest: Hex; metrics: string[]; uri: string }
  | { kind: 'resolve-dispute'; resultId: Hex; upheld: boolean }
  | { kind: 'raw'; target: Address; value: bigint; calldata: Hex };

export function encodeAction(input: ActionInput, addresses: Addresses): ProposalAction {
  const at = (target: string, calldata: Hex): ProposalAction => ({
    target: target as Address,
    value: 0n,
    calldata,
  });
  switch (input.kind) {
    case 'approve-model':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'approve',
          args: [input.modelId, input.policyId],
        }),
      );
    case 'deprecate-model':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'deprecate',
          args: [input.modelId],
        }),
      );
    case 'revoke-model':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'revoke',
          args: [input.modelId, input.reason],
        }),
      );
    case 'set-policy':
      return at(
        addresses.policyRegistry,
        encodeFunctionData({
          abi: policyRegistryAbi,
          functionName: 'setPolicy',
          args: [
            shortName(input.policyName),
            input.rules.map((r) => ({
              suiteId: r.suiteId,
              metricId: shortName(r.metric),
              comparator: comparators.indexOf(r.comparator),
              threshold: r.threshold,
            })),
            input.minEvaluators,
            input.maxEvidenceAge,
            input.uri,
          ],
        }),
      );
    case 'admit-evaluator':
      return at(
        addresses.evidenceRegistry,
        encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'admitEvaluator',
          args: [input.evaluator, input.name],
        }),
      );
    case 'remove-evaluator':
      return at(
        addresses.evidenceRegistry,
        encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'removeEvaluator',
          args: [input.evaluator],
        }),
      );
    case 'register-suite':
      return at(
        addresses.evidenceRegistry,
        encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'registerSuite',
          args: [input.suiteId, input.datasetDigest, input.metrics.map(shortName), input.uri],
        }),
      );
    case 'resolve-dispute':
      return at(
        addresses.evidenceRegistry,
        encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'resolveDispute',
          args: [input.resultId, input.upheld],
        }),
      );
    case 'raw':
      return { target: input.target, value: input.value, calldata: input.calldata };
  }
}

/** A result as the evidence registry takes it. */
export interface Submission {
  modelId: Hex;
  suiteId: Hex;
  metricIds: Hex[];
  values: bigint[];
  reportDigest: Hex;
  samplesRoot: Hex;
  uri: string;
}

export function submitResult(evidenceRegistry: string, submission: Submission): Call {
  return {
    to: evidenceRegistry as Address,
    data: encodeFunctionData({
      abi: evidenceRegistryAbi,
      functionName: 'submitResult',
      args: [submission],
    }),
  };
}

export function submitResultWithSignature(
  evidenceRegistry: string,
  submission: Submission,
  evaluator: Address,
  deadline: bigint,
  signature: Hex,
): Call {
  return {
    to: evidenceRegistry as Address,
    data: encodeFunctionData({
      abi: evidenceRegistryAbi,
      functionName: 'submitResultWithSignature',
      args: [submission, evaluator, deadline, signature],
    }),
  };
}

/** The EIP-712 `Submission` an evaluator signs (EvidenceRegistry.SUBMISSION_TYPEHASH). */
export function submissionTypedData(
  chainId: number,
  evidenceRegistry: string,
  submission: Submission,
  evaluator: Address,
  nonce: bigint,
  deadline: bigint,
) {
  return {
    domain: evidenceDomain(chainId, evidenceRegistry as Address),
    types: submissionTypes,
    primaryType: 'Submission',
    message: { ...submission, evaluator, nonce, deadline },
  } as const;
}

/** The governor's id for these actions and description. */
export const proposalIdOf = (actions: ProposalAction[], description: string): string =>
  proposalId(actions, description).toString();
