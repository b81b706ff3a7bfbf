// The protocol's enumerations, each declared once. Where the contracts have an enum, the array's order is
// the Solidity enum's, so `modelStatuses[n]` names the status a contract returns as `n`.

/** `ModelRegistry.Status`. `suspended` came last, so the older statuses keep their numbers. */
export const modelStatuses = [
  'unknown',
  'candidate',
  'approved',
  'deprecated',
  'revoked',
  'suspended',
] as const;
export type ModelStatus = (typeof modelStatuses)[number];
/** The statuses a registered version can have (everything but `unknown`). */
export const registeredModelStatuses = modelStatuses.slice(1) as Exclude<ModelStatus, 'unknown'>[];

/** The statuses from which `ModelRegistry.approve` may move a version to approved. */
export const approvableModelStatuses: readonly ModelStatus[] = ['candidate', 'deprecated'];
export const isApprovable = (status: ModelStatus): boolean =>
  approvableModelStatuses.includes(status);
/** Whether `ModelRegistry.deprecate` may move a version in this status (an approved or suspended one). */
export const isDeprecatable = (status: ModelStatus): boolean =>
  status === 'approved' || status === 'suspended';
/** Whether `ModelRegistry.revoke` may move a version in this status (any registered, not yet revoked). */
export const isRevocable = (status: ModelStatus): boolean =>
  status !== 'unknown' && status !== 'revoked';
/**
 * Whether the guardian may `ModelRegistry.suspend` a version in this status (only an approved one; the
 * registry also allows one suspension per approval, which the status alone does not tell).
 */
export const isSuspendable = (status: ModelStatus): boolean => status === 'approved';
/** Whether a suspension can end (`liftSuspension`, or `endLapsedSuspension` once its time is up). */
export const isSuspended = (status: ModelStatus): boolean => status === 'suspended';

/** OpenZeppelin `IGovernor.ProposalState`. */
export const proposalStates = [
  'pending',
  'active',
  'canceled',
  'defeated',
  'succeeded',
  'queued',
  'expired',
  'executed',
] as const;
export type ProposalState = (typeof proposalStates)[number];

/** `PolicyRegistry.Comparator`, as the symbols people read. */
export const comparators = ['>=', '<='] as const;
export type Comparator = (typeof comparators)[number];
export const comparatorWords: Record<Comparator, string> = { '>=': 'at least', '<=': 'at most' };

/** `EvidenceRegistry.ResultStatus`. `none`: no result was ever posted. */
export const resultStatuses = ['none', 'valid', 'disputed', 'struck'] as const;
export type ResultStatus = (typeof resultStatuses)[number];
/** The statuses a posted result can have. */
export const postedResultStatuses = resultStatuses.slice(1) as Exclude<ResultStatus, 'none'>[];

/** How a dispute ended, or that it has not. */
export const disputeStatuses = ['open', 'upheld', 'rejected'] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];
/**
 * `EvidenceRegistry.DisputeStatus` as a contract returns it (0 none, 1 open, 2 upheld, 3 rejected) in
 * `disputeStatuses`' names; undefined for 0, no such dispute.
 */
export const disputeStatusOf = (value: number | bigint): DisputeStatus | undefined =>
  disputeStatuses[Number(value) - 1];

/**
 * `EvidenceRegistry.Standing`: whether a result counts toward a policy now, and if not, why. A result
 * counts once its challenge window has passed, while no dispute is open on it, and while its evaluator's
 * active bond is at least the minimum.
 */
export const standings = ['counts', 'in-window', 'disputed', 'struck', 'underbonded'] as const;
export type Standing = (typeof standings)[number];

/** What a proposal does, by its first action the indexer recognises. */
export const proposalKinds = [
  'approve-model',
  'deprecate-model',
  'revoke-model',
  'set-policy',
  'admit-evaluator',
  'remove-evaluator',
  'register-suite',
  'resolve-dispute',
  'set-game-parameters',
  'set-resolver',
  'set-family-policy',
  'set-maintainer',
  'set-approval-window',
  'set-max-suspension',
  'lift-suspension',
  'set-guardian',
  'set-guardian-term',
  'governance',
  'other',
] as const;
export type ProposalKind = (typeof proposalKinds)[number];

/** Why evidence does not meet a policy; one per `PolicyRegistry` evidence error, in its precedence. */
export const policyFailureReasons = [
  'threshold',
  'too-old',
  'in-window',
  'disputed',
  'underbonded',
  'missing',
  'unknown-model',
  'invalid-transition',
  'unknown-policy',
  'no-family-policy',
] as const;
export type PolicyFailureReason = (typeof policyFailureReasons)[number];

/** Governor votes: `support` 0, 1, 2. */
export const voteSupports = ['against', 'for', 'abstain'] as const;
export type VoteSupport = (typeof voteSupports)[number];

/** A registered version's status; a posted result's status. */
export type RegisteredModelStatus = Exclude<ModelStatus, 'unknown'>;
export type PostedResultStatus = Exclude<ResultStatus, 'none'>;
/** How a resolved dispute ended. */
export type DisputeOutcome = Exclude<DisputeStatus, 'open'>;

/** An enumeration's values by name, so code that means one value names it like an enum member. */
const byName = <const T extends string>(values: readonly T[]) =>
  Object.freeze(Object.fromEntries(values.map((value) => [value, value]))) as {
    readonly [K in T]: K;
  };
export const ModelStatus = byName(modelStatuses);
export const ProposalState = byName(proposalStates);
export const ResultStatus = byName(resultStatuses);
export const DisputeStatus = byName(disputeStatuses);
export const Standing = byName(standings);
export const VoteSupport = byName(voteSupports);

/** The status each `ModelRegistry` event leaves a version in. */
export const modelStatusAfter = {
  ModelRegistered: ModelStatus.candidate,
  ModelApproved: ModelStatus.approved,
  ModelDeprecated: ModelStatus.deprecated,
  ModelRevoked: ModelStatus.revoked,
  ModelSuspended: ModelStatus.suspended,
  SuspensionEnded: ModelStatus.approved,
} as const satisfies Record<string, RegisteredModelStatus>;

/**
 * `EvidenceRegistry.resolveDispute`: an upheld dispute strikes the result version; a rejected one restores it
 * to valid only when it was the last dispute open on it (several parties may dispute one version at once).
 */
export const disputeOutcome = (
  upheld: boolean,
): { dispute: DisputeOutcome; result: PostedResultStatus } =>
  upheld
    ? { dispute: DisputeStatus.upheld, result: ResultStatus.struck }
    : { dispute: DisputeStatus.rejected, result: ResultStatus.valid };

/** What a proposal's call does, by the deployment's name for its target and the function it calls. */
export const proposalKindsByCall: Readonly<Record<string, Readonly<Record<string, ProposalKind>>>> =
  {
    modelRegistry: {
      approve: 'approve-model',
      deprecate: 'deprecate-model',
      revoke: 'revoke-model',
      setFamilyPolicy: 'set-family-policy',
      setMaintainer: 'set-maintainer',
      setApprovalWindow: 'set-approval-window',
      setMaxSuspension: 'set-max-suspension',
      liftSuspension: 'lift-suspension',
    },
    policyRegistry: { setPolicy: 'set-policy' },
    evidenceRegistry: {
      admitEvaluator: 'admit-evaluator',
      removeEvaluator: 'remove-evaluator',
      registerSuite: 'register-suite',
      resolveDispute: 'resolve-dispute',
      setGameParameters: 'set-game-parameters',
      setResolver: 'set-resolver',
    },
    governor: {
      setProposalGuardian: 'set-guardian',
      setGuardianTerm: 'set-guardian-term',
    },
  };
/** Calls to the governor or the timelock that no kind names are `governance`; anything else `other`. */
export function proposalKindOf(
  contract: string | null | undefined,
  functionName: string | null | undefined,
): ProposalKind {
  const kind = contract && functionName ? proposalKindsByCall[contract]?.[functionName] : undefined;
  if (kind) return kind;
  return functionName && (contract === 'governor' || contract === 'timelock')
    ? 'governance'
    : 'other';
}
