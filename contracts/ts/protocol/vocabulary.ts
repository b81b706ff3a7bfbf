// The protocol's enumerations, each declared once. Where the contracts have an enum, the array's order is
// the Solidity enum's, so `modelStatuses[n]` names the status a contract returns as `n`.

/** `ModelRegistry.Status`. */
export const modelStatuses = ['unknown', 'candidate', 'approved', 'deprecated', 'revoked'] as const;
export type ModelStatus = (typeof modelStatuses)[number];
/** The statuses a registered version can have (everything but `unknown`). */
export const registeredModelStatuses = modelStatuses.slice(1) as Exclude<ModelStatus, 'unknown'>[];

/** The statuses from which `ModelRegistry.approve` may move a version to approved. */
export const approvableModelStatuses: readonly ModelStatus[] = ['candidate', 'deprecated'];
export const isApprovable = (status: ModelStatus): boolean =>
  approvableModelStatuses.includes(status);
/** Whether `ModelRegistry.deprecate` may move a version in this status (only an approved one). */
export const isDeprecatable = (status: ModelStatus): boolean => status === 'approved';
/** Whether `ModelRegistry.revoke` may move a version in this status (any registered, not yet revoked). */
export const isRevocable = (status: ModelStatus): boolean =>
  status !== 'unknown' && status !== 'revoked';

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
  'governance',
  'other',
] as const;
export type ProposalKind = (typeof proposalKinds)[number];

/** Why evidence does not meet a policy; one per `PolicyRegistry` evidence error, in its precedence. */
export const policyFailureReasons = [
  'threshold',
  'too-old',
  'disputed',
  'missing',
  'unknown-model',
  'invalid-transition',
  'unknown-policy',
] as const;
export type PolicyFailureReason = (typeof policyFailureReasons)[number];

/** Governor votes: `support` 0, 1, 2. */
export const voteSupports = ['against', 'for', 'abstain'] as const;
export type VoteSupport = (typeof voteSupports)[number];
