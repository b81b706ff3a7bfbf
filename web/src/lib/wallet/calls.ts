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
  type GameParameters,
  type ProposalAction,
  type VoteSupport,
} from '@charter/contracts/protocol';
import { encodeFunctionData, type Address, type Hex } from 'viem';

import type { Governance } from '$lib/indexer';
import type { Call } from './sendCall';

type Addresses = Governance['addresses'];

export type { GameParameters, ProposalAction };

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
  | {
      kind: 'approve-model';
      modelId: Hex;
      /** The family's governing policy, its active version and the family's current version (zero for
       * none) when proposed: execution refuses if any has changed, or outside the approval window. */
      policyId: Hex;
      policyVersion: number;
      expectedCurrent: Hex;
      /** Unix seconds. */
      expiresAt: number;
    }
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
  | { kind: 'resolve-dispute'; disputeId: bigint; upheld: boolean }
  | { kind: 'set-game-parameters'; parameters: GameParameters }
  /** The zero address leaves disputes to governance alone. */
  | { kind: 'set-resolver'; resolver: Address }
  | { kind: 'set-family-policy'; family: string; policyId: Hex }
  | { kind: 'set-maintainer'; family: string; maintainer: Address }
  | { kind: 'lift-suspension'; modelId: Hex }
  /** Seconds. */
  | { kind: 'set-approval-window'; seconds: number }
  /** Seconds. */
  | { kind: 'set-max-suspension'; seconds: number }
  | { kind: 'set-guardian'; guardian: Address }
  /** Unix seconds. */
  | { kind: 'set-guardian-term'; termEnd: number }
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
          args: [
            input.modelId,
            input.policyId,
            BigInt(input.policyVersion),
            input.expectedCurrent,
            input.expiresAt,
          ],
        }),
      );
    case 'set-family-policy':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'setFamilyPolicy',
          args: [input.family, input.policyId],
        }),
      );
    case 'set-maintainer':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'setMaintainer',
          args: [input.family, input.maintainer],
        }),
      );
    case 'lift-suspension':
      return at(addresses.modelRegistry, liftSuspensionData(input.modelId));
    case 'set-approval-window':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'setApprovalWindow',
          args: [input.seconds],
        }),
      );
    case 'set-max-suspension':
      return at(
        addresses.modelRegistry,
        encodeFunctionData({
          abi: modelRegistryAbi,
          functionName: 'setMaxSuspension',
          args: [input.seconds],
        }),
      );
    case 'set-guardian':
      return at(
        addresses.governor,
        encodeFunctionData({
          abi: charterGovernorAbi,
          functionName: 'setProposalGuardian',
          args: [input.guardian],
        }),
      );
    case 'set-guardian-term':
      return at(
        addresses.governor,
        encodeFunctionData({
          abi: charterGovernorAbi,
          functionName: 'setGuardianTerm',
          args: [input.termEnd],
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
      return at(addresses.evidenceRegistry, resolveDisputeData(input.disputeId, input.upheld));
    case 'set-game-parameters':
      return at(
        addresses.evidenceRegistry,
        encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'setGameParameters',
          args: [input.parameters],
        }),
      );
    case 'set-resolver':
      return at(
        addresses.evidenceRegistry,
        encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'setResolver',
          args: [input.resolver],
        }),
      );
    case 'raw':
      return { target: input.target, value: input.value, calldata: input.calldata };
  }
}

const liftSuspensionData = (modelId: Hex) =>
  encodeFunctionData({ abi: modelRegistryAbi, functionName: 'liftSuspension', args: [modelId] });

/** The guardian's emergency brake: suspends an approved version at once, for at most `maxSuspension`. */
export function suspend(modelRegistry: string, modelId: Hex, reason: string): Call {
  return {
    to: modelRegistry as Address,
    data: encodeFunctionData({
      abi: modelRegistryAbi,
      functionName: 'suspend',
      args: [modelId, reason],
    }),
  };
}

/** Ends a suspension early: the guardian directly, or governance through a proposal. */
export function liftSuspension(modelRegistry: string, modelId: Hex): Call {
  return { to: modelRegistry as Address, data: liftSuspensionData(modelId) };
}

/** Ends a suspension whose time has run out; anyone may. */
export function endLapsedSuspension(modelRegistry: string, modelId: Hex): Call {
  return {
    to: modelRegistry as Address,
    data: encodeFunctionData({
      abi: modelRegistryAbi,
      functionName: 'endLapsedSuspension',
      args: [modelId],
    }),
  };
}

const resolveDisputeData = (disputeId: bigint, upheld: boolean) =>
  encodeFunctionData({
    abi: evidenceRegistryAbi,
    functionName: 'resolveDispute',
    args: [disputeId, upheld],
  });

/** A dispute of one sample of a result: the leaf as committed, its proof, and the disputer's outcome. */
export interface DisputeInput {
  /** The result, as the registry names it: model, suite and evaluator, and the version's report digest. */
  modelId: Hex;
  suiteId: Hex;
  evaluator: Address;
  reportDigest: Hex;
  committed: { id: string; label: bigint; prediction: bigint; score: bigint };
  proof: Hex[];
  claim: { prediction: bigint; score: bigint; reportDigest: Hex; uri: string };
  /** Wei: exactly the registry's dispute bond. */
  bond: bigint;
}

/** Disputes a result inside its window, paying the dispute bond; anyone may. */
export function dispute(evidenceRegistry: string, input: DisputeInput): Call {
  return {
    to: evidenceRegistry as Address,
    data: encodeFunctionData({
      abi: evidenceRegistryAbi,
      functionName: 'dispute',
      args: [
        input.modelId,
        input.suiteId,
        input.evaluator,
        input.reportDigest,
        input.committed,
        input.proof,
        input.claim,
      ],
    }),
    value: input.bond,
  };
}

/** Upholds or rejects a dispute: the resolver directly (governance does it through a proposal). */
export function resolveDispute(evidenceRegistry: string, disputeId: bigint, upheld: boolean): Call {
  return { to: evidenceRegistry as Address, data: resolveDisputeData(disputeId, upheld) };
}

/** Resolves a dispute left open past the resolution timeout by the default (rejected); anyone may. */
export function resolveLapsedDispute(evidenceRegistry: string, disputeId: bigint): Call {
  return {
    to: evidenceRegistry as Address,
    data: encodeFunctionData({
      abi: evidenceRegistryAbi,
      functionName: 'resolveLapsedDispute',
      args: [disputeId],
    }),
  };
}

/** Pays an account its credit (a disputer's reward, a returned bond); anyone may trigger it. */
export function withdrawCredit(evidenceRegistry: string, account: Address): Call {
  return {
    to: evidenceRegistry as Address,
    data: encodeFunctionData({
      abi: evidenceRegistryAbi,
      functionName: 'withdrawCredit',
      args: [account],
    }),
  };
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
