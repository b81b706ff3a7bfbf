// The shapes the indexer API returns (see ../../API.md). uint256 values are decimal strings, addresses and
// hashes lowercase 0x-hex, times unix seconds, metric values and thresholds fixed-point with 18 decimals.

import type {
  Comparator,
  DisputeOutcome,
  DisputeStatus,
  PolicyFailureReason,
  PostedResultStatus,
  ProposalKind,
  ProposalState,
  PublishedStatement,
  RegisteredModelStatus,
  Standing,
  VoteSupport,
} from '@charter/contracts/protocol';

import type {
  ApprovalCheck,
  ApprovalWindowState,
  BondChange,
  changeKinds,
  DisputeResolution,
  SuspensionEnd,
  timelineEvents,
} from './vocabulary';

export type {
  ApprovalCheck,
  ApprovalWindowState,
  BondChange,
  DisputeResolution,
  SuspensionEnd,
} from './vocabulary';

// The protocol's enumerations, under the names this API has always used for them.
export type {
  Comparator,
  DisputeOutcome,
  DisputeStatus,
  ProposalKind as ActionKind,
  ProposalState,
  PolicyFailureReason as EvidenceFailureReason,
  PostedResultStatus as ResultStatus,
  RegisteredModelStatus as ModelStatus,
  Standing,
  VoteSupport as Support,
};
type ActionKind = ProposalKind;
type ModelStatus = RegisteredModelStatus;
type ResultStatus = PostedResultStatus;
type Support = VoteSupport;
type EvidenceFailureReason = PolicyFailureReason;

/**
 * The indexed block an answer was read at: every answer comes from one consistent snapshot of the
 * database, and proposal states are derived at this block's timestamp. Object answers carry these
 * fields; every data answer also has them as the `X-Indexed-Block` and `X-Indexed-Timestamp` headers.
 */
export interface IndexedAt {
  indexedBlock: number;
  /** Unix seconds: the block's timestamp, the clock proposal states are derived at. */
  indexedTimestamp: number;
}

/** An object answer: the thing asked for, with the block it was read at. */
export type AtBlock<T> = T & IndexedAt;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Health {
  ok: true;
}

export interface Readiness {
  ready: boolean;
  head: number;
  indexedBlock: number;
  /** Why the sync stopped for good, if it has: the index no longer follows the chain. */
  failure?: { name: string; message: string };
}

export interface Governance extends IndexedAt {
  chainId: number;
  addresses: {
    token: string;
    timelock: string;
    governor: string;
    evidenceRegistry: string;
    policyRegistry: string;
    modelRegistry: string;
  };
  name: string;
  /** Seconds. */
  votingDelay: number;
  /** Seconds. */
  votingPeriod: number;
  proposalThreshold: string;
  quorumNumerator: string;
  quorumDenominator: string;
  /** Seconds. */
  lateQuorumVoteExtension: number;
  /** Seconds. */
  timelockDelay: number;
  /**
   * Who may cancel proposals and suspend approved versions now, as the governor's `proposalGuardian()`
   * answers at the indexed block: the appointed guardian while its term lasts, else null.
   */
  proposalGuardian: string | null;
  /** The guardian as appointed (`ProposalGuardianSet`), whether or not its term still lasts; null if none. */
  appointedGuardian: string | null;
  /** When the guardian's power ends (unix seconds); null before any term was set. */
  guardianTermEnd: number | null;
  /** Seconds before its `expiresAt` from which an approval may execute (ModelRegistry's window). */
  approvalWindow: number;
  /** Seconds: the longest a suspension lasts before anyone may end it. */
  maxSuspension: number;
  /** EvidenceRegistry's evidence game, as governance last set it. */
  gameParameters: GameParameters;
  /** Who besides governance may resolve disputes (`setResolver`); null if nobody. */
  resolver: string | null;
  tokenName: string;
  tokenSymbol: string;
  totalSupply: string;
}

/** `EvidenceRegistry.GameParameters`: seconds, wei and basis points. */
export interface GameParameters {
  /** Seconds a result waits, undisputed, before it counts. */
  challengePeriod: number;
  /** Wei an evaluator must have bonded for its results to count. */
  minBond: string;
  /** Wei a dispute must carry. */
  disputeBond: string;
  /** Seconds between `unbond()` and `withdrawBond()`. */
  unbondingDelay: number;
  /** Seconds after it opens from which anyone may resolve a dispute by default (rejected). */
  resolutionTimeout: number;
  /** Share of a slashed stake paid to the disputer, in basis points. */
  disputerShareBps: number;
}

export interface ProposalSummary {
  id: string;
  proposer: string;
  title: string;
  /** As the governor's `state()` answers at the latest indexed block. */
  state: ProposalState;
  kinds: ActionKind[];
  createdAt: number;
  voteStart: number;
  /** The deadline in force, extended when quorum was reached late. */
  voteEnd: number;
  /** Whether a late quorum extended the deadline. */
  extended: boolean;
  eta: number | null;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  /** Votes needed for quorum. */
  quorum: string;
  /** Votes that count toward quorum: for + abstain. */
  quorumVotes: string;
  /** The governor's verdict: quorumVotes >= quorum. */
  quorumReached: boolean;
  /** Votes still missing for quorum; "0" once reached. */
  quorumShortfall: string;
  voteCount: number;
}

export interface ProposalAction {
  target: string;
  /** The project contract it calls ("modelRegistry"...), or null. */
  targetName: string | null;
  value: string;
  calldata: string;
  /** e.g. "approve(bytes32,bytes32)"; null when it could not be decoded. */
  signature: string | null;
  args: unknown[] | null;
  /** In words: "approve mail-guard v2 under policy mail-safety v1". */
  summary: string;
}

export interface TimelineEntry {
  event: (typeof timelineEvents)[number];
  at: number;
  block?: number;
  tx?: string;
}

export interface Proposal extends ProposalSummary {
  description: string;
  createdBlock: number;
  createdTx: string;
  actions: ProposalAction[];
  timeline: TimelineEntry[];
  /** For a proposal that approves a model: what its approval names, and whether that still holds. */
  approval: Approval | null;
  evidence: Evidence | null;
}

/**
 * A model approval as the proposal pins it (`approve(modelId, policyId, policyVersion, expectedCurrent,
 * expiresAt)`), against the chain at the indexed block: the registry executes it only while the named
 * policy is the family's, at the version named, the family's current version is the one named, and the
 * time is inside the approval window. `blockers` says, in the contract's words, what no longer holds.
 */
export interface Approval {
  modelId: string;
  /** The model's family and label; null when no such version is registered. */
  family: string | null;
  version: string | null;
  /** The policy and the version the proposal was voted under. */
  policyId: string;
  policyName: string;
  policyVersion: number;
  /** The family's current version the approval replaces (model id and label); null: none expected. */
  expectedCurrent: string | null;
  expectedCurrentVersion: string | null;
  /** Unix seconds: the approval cannot execute after this. */
  expiresAt: number;
  /** Unix seconds: `expiresAt` minus the registry's approval window now; it cannot execute before this. */
  opensAt: number;
  window: ApprovalWindowState;
  /** The chain now: the family's policy, the named policy's active version, the family's current version. */
  familyPolicyId: string | null;
  familyPolicyName: string | null;
  activePolicyVersion: number | null;
  currentModelId: string | null;
  currentVersion: string | null;
  /** The named policy is the family's policy (false also when the family has none). */
  policyMatches: boolean;
  /** The named version is the policy's active one. */
  policyVersionMatches: boolean;
  /** The family's current version is the one named. */
  currentMatches: boolean;
  /** Every pin or window check that fails now, in the order the registry checks them. */
  blockers: ApprovalBlocker[];
  /** Whether executing it now would succeed: no blockers, and the evidence meets the family's policy. */
  canExecute: boolean;
}

export interface ApprovalBlocker {
  check: ApprovalCheck;
  /** The registry's custom error: `ModelRegistryPolicyVersionChanged`... */
  error: string;
  /** The protocol catalogue's words for it, the same the web app and the CLI give that revert. */
  message: string;
  /**
   * On the `challenge-window` check (evidence still in its challenge window, not missing): unix seconds
   * from which that evidence counts, unless disputed meanwhile.
   */
  countsFrom?: number;
}

/**
 * The evidence for a model against the active version of its family's policy (the one `approve` checks,
 * whatever a proposal names), as `PolicyRegistry` checks it.
 */
export interface Evidence {
  modelId: string;
  /** The family's policy; the policy the proposal names when the family has none (then no rules). */
  policyId: string;
  policyName: string;
  /** The active version, which an approval executed now would be checked against; null if never set. */
  policyVersion: number | null;
  /**
   * Whether the approval would succeed at the latest indexed block: `failure` is null and the proposal's
   * pins and window hold (`Approval.blockers` is empty).
   */
  wouldExecuteNow: boolean;
  /**
   * Why the model or its evidence stops it: the model cannot move to approved, its family has no policy,
   * or the first failing rule with the contract's reason.
   */
  failure: EvidenceFailure | null;
  rules: EvidenceRule[];
}

/**
 * The custom error `approve` would revert with now for the model or its evidence, and the protocol's
 * words for it (the same words the web app and the CLI give for that revert).
 */
export interface EvidenceFailure {
  /** The failing rule's index, 0-based as the contract counts (people read "Rule index+1"). */
  rule: number | null;
  reason: EvidenceFailureReason;
  /** The contract's custom error: `PolicyRegistryThresholdNotMet`... */
  error: string;
  message: string;
  /** For `in-challenge-window`: unix seconds from which the earliest such result counts. */
  countsFrom?: number;
}

export interface EvidenceRule {
  /** 0-based, as the contract counts. */
  index: number;
  suiteId: string;
  suiteName?: string;
  metric: string;
  comparator: Comparator;
  threshold: string;
  /** Evaluators that must satisfy the rule (the policy's minimum). */
  required: number;
  satisfied: number;
  met: boolean;
  /** Each admitted evaluator's live result, in the registry's order. */
  results: EvidenceResult[];
}

export interface EvidenceResult {
  evaluator: string;
  resultId: string;
  value: string;
  submittedAt: number;
  status: ResultStatus;
  /** Unix seconds: the end of its challenge window (`submittedAt` + the challenge period now). */
  countsFrom: number;
  /** Whether it counts at the indexed block, as the registry's `evidenceFor` says, and if not why. */
  standing: Standing;
  /** The evaluator's active bond, in wei. */
  bond: string;
  /** Not older than the policy's maximum evidence age. */
  fresh: boolean;
  /** The value meets the threshold. It counts when its standing is `counts` and it is fresh. */
  passes: boolean;
  reportUri: string;
  reportDigest: string;
}

export interface Vote {
  voter: string;
  support: Support;
  weight: string;
  reason: string;
  params: string;
  block: number;
  tx: string;
  at: number;
}

export interface AccountVote extends Vote {
  proposalId: string;
  title: string;
}

export interface Delegate {
  address: string;
  votingPower: string;
  /** Accounts delegating to this one, itself included when self-delegated. */
  delegators: number;
  votesCast: number;
  /** The delegate's newest signed statement; null if it never published one. */
  statement: PublishedStatement | null;
}

export type { PublishedStatement };

/** One version of a delegate's statement, with what lets anyone verify it again. */
export interface StatementVersion extends PublishedStatement {
  /** The delegate's EIP-712 signature of the `Statement` (protocol's `delegateStatementTypedData`). */
  signature: string;
  /** Unix seconds, the indexer's clock when it stored the statement. */
  receivedAt: number;
}

/** What `POST /delegates/:address/statements` takes: a statement the delegate signed. */
export interface StatementPublication {
  statement: string;
  interests: string[];
  /** Unix seconds, as signed. */
  issuedAt: number;
  signature: string;
}

/** `POST /delegates/:address/statements`'s answer (201): the version stored. */
export interface PublishedStatementVersion extends StatementVersion {
  delegate: string;
}

export interface DelegateDetail extends Delegate {
  delegatorList: { address: string; balance: string }[];
}

export interface Account {
  address: string;
  balance: string;
  votingPower: string;
  delegate: string | null;
  delegators: number;
  /** Wei the evidence registry owes the account (`credits`), withdrawable with `withdrawCredit`. */
  credit: string;
  /** The latest 50. */
  votes: AccountVote[];
}

export interface Model {
  /** The artifact digest. */
  id: string;
  /** keccak256 of the family name, as the registry keys families. */
  familyId: string;
  family: string;
  version: string;
  uri: string;
  parentId: string | null;
  registrant: string;
  registeredAt: number;
  /** The family's maintainer now: who (besides governance) may register its versions. */
  maintainer: string | null;
  status: ModelStatus;
  /** The approval the version is under: set while approved, and while suspended (the approval it holds). */
  approvedUnder: { policyId: string; policyVersion: number } | null;
  /** Set while the status is `suspended`. */
  suspension: Suspension | null;
}

/** An emergency suspension by the guardian: not approved until it is lifted or lapses. */
export interface Suspension {
  /** Unix seconds. */
  since: number;
  /** Unix seconds: from then on anyone may end it (`endLapsedSuspension`), unless governance acts first. */
  until: number;
  reason: string;
  /** `until` has passed at the indexed block: the suspension has run out but nobody has ended it yet. */
  lapsed: boolean;
}

export interface ModelHistoryEntry {
  status: ModelStatus;
  at: number;
  tx: string;
  policyId?: string;
  policyVersion?: number;
  /** A revocation's or a suspension's reason. */
  reason?: string;
  /** On a `suspended` entry: when the suspension lapses. */
  until?: number;
  /** On the `approved` entry that ended a suspension: how it ended. */
  suspensionEnded?: SuspensionEnd;
}

export interface ModelDetail extends Model {
  history: ModelHistoryEntry[];
  results: Result[];
}

export interface Family {
  family: string;
  /** keccak256 of the name. */
  familyId: string;
  /** The policy governance bound the family to, with its active version; null until governance does. */
  policy: { id: string; name: string; activeVersion: number | null } | null;
  /** Who (besides governance) may register versions: the first registrant, or whom it was handed to. */
  maintainer: string | null;
  /** The most recently approved version that is still approved; null if none. */
  currentVersion: Model | null;
  versions: number;
}

export interface PolicySummary {
  id: string;
  name: string;
  currentVersion: number;
  versions: number;
}

export interface PolicyRule {
  suiteId: string;
  metric: string;
  comparator: Comparator;
  threshold: string;
}

export interface PolicyVersion {
  version: number;
  rules: PolicyRule[];
  minEvaluators: number;
  /** Seconds. */
  maxEvidenceAge: number;
  uri: string;
  setAt: number;
  tx: string;
}

export interface Policy {
  id: string;
  name: string;
  versions: PolicyVersion[];
}

export interface Suite {
  id: string;
  datasetDigest: string;
  metrics: string[];
  uri: string;
  registeredAt: number;
}

export interface Evaluator {
  address: string;
  name: string;
  admitted: boolean;
  admittedAt: number;
  removedAt: number | null;
  resultCount: number;
  stake: Stake;
}

/** An evaluator's stake in the evidence game, in wei. */
export interface Stake {
  /** The active bond: its results count only while it is at least the game's `minBond`. */
  bonded: string;
  /** Bond on its way out: withdrawable from `unbondingReadyAt`, slashable until then. */
  unbonding: string;
  unbondingReadyAt: number | null;
  /** Whether `bonded` is at least `minBond` now. */
  meetsMinBond: boolean;
  /** Disputes open against its results: it cannot withdraw while there are any. */
  openDisputes: number;
  /** Slashed by upheld disputes, all told. */
  slashed: string;
}

export interface EvaluatorDetail extends Evaluator {
  /** Every change of its stake, newest first. */
  bondHistory: BondHistoryEntry[];
  /** Disputes upheld against its results, newest first. */
  upheldDisputes: Dispute[];
  /** Disputes still open against its results, oldest first. */
  openDisputeList: Dispute[];
  /** Wei the registry owes it (`credits`), withdrawable with `withdrawCredit`. */
  credit: string;
}

export interface BondHistoryEntry {
  change: BondChange;
  /** Wei bonded, moved to unbonding, withdrawn or slashed. */
  amount: string;
  /** The stake after the change. */
  bonded: string;
  unbonding: string;
  unbondingReadyAt: number | null;
  /** The upheld dispute that slashed it. */
  disputeId: number | null;
  at: number;
  block: number;
  tx: string;
}

/**
 * A bonded dispute of one result version, naming one sample: the leaf as the evaluator committed it
 * (proven against the result's samples root) and the outcome the disputer obtained, with its report.
 */
export interface Dispute {
  /** The registry's dispute id: 1, 2, 3... */
  id: number;
  /** The disputed result, as this API names it (`resultId:reportDigest`). */
  result: string;
  /** The registry's result id and the disputed version's report digest. */
  resultId: string;
  reportDigest: string;
  modelId: string;
  suiteId: string;
  evaluator: string;
  disputer: string;
  /** Wei the disputer posted. */
  bond: string;
  /** The sample as committed: its id and the label, prediction and score the evaluator reported. */
  sample: { id: string; label: string; prediction: string; score: string };
  /** What the disputer obtained for that sample, and its own report. */
  claim: { prediction: string; score: string; reportDigest: string; uri: string };
  openedAt: number;
  /** Unix seconds from which anyone may resolve it by default (rejected). */
  lapsesAt: number;
  /** Open with `lapsesAt` passed at the indexed block: anyone may call `resolveLapsedDispute`. */
  lapsable: boolean;
  status: DisputeStatus;
  /** How it was resolved; `lapsed`: rejected by default once its time ran out. Null while open. */
  resolution: DisputeResolution | null;
  resolvedAt: number | null;
  /** What the resolution did, in wei; null while open. */
  payout: DisputePayout | null;
  block: number;
  tx: string;
  resolvedTx: string | null;
}

export interface DisputePayout {
  /** Taken from the evaluator's stake (upheld only). */
  slashed: string;
  /** Credited to the disputer (its share of the slash and its bond back), to the evaluator (a rejected
   * dispute's bond), and to the treasury (the rest of the slash). */
  toDisputer: string;
  toEvaluator: string;
  toTreasury: string;
}

export interface Result {
  /** The registry's resultId, ":" and the report digest. */
  id: string;
  modelId: string;
  suiteId: string;
  evaluator: string;
  metrics: Record<string, string>;
  reportDigest: string;
  samplesRoot: string;
  uri: string;
  submittedAt: number;
  status: ResultStatus;
  /** A later result of the same evaluator for the same model and suite replaced it. */
  superseded: boolean;
  /** Unix seconds: the end of its challenge window (`submittedAt` + the challenge period now). */
  countsFrom: number;
  /**
   * Whether it counts at the indexed block, by the registry's rule (the first that applies: struck,
   * disputed, underbonded, in-window, counts). For a superseded result: what it would be were it live.
   */
  standing: Standing;
  /** The evaluator's active bond now, in wei. */
  bond: string;
  /** Every dispute of this version, oldest first. */
  disputes: Dispute[];
}

export type ChangeKind = (typeof changeKinds)[number];

/**
 * A change committed to the database. For a vote, `id` is its proposal's id; for a family, its name (a
 * change of a family's current version also announces that model).
 */
export interface Change {
  kind: ChangeKind;
  id: string;
  block: number;
}

/**
 * The stream's `block` event, sent after every commit (after that commit's `change` events), whether or
 * not anything changed: the block the indexer now describes. A page showing time-dependent state (a
 * proposal going from pending to active) refreshes when this block is newer than the one it was read at.
 * After a reorg it names the common ancestor.
 */
export interface IndexedBlock {
  number: number;
  hash: string;
  /** Unix seconds. */
  timestamp: number;
}

export interface ListParams {
  limit?: number;
  cursor?: string;
}

export interface ProposalListParams extends ListParams {
  state?: ProposalState | ProposalState[];
  proposer?: string;
  kind?: ActionKind;
  q?: string;
  sort?: 'newest' | 'oldest' | 'ending';
}

export interface VoteListParams extends ListParams {
  support?: Support;
  sort?: 'newest' | 'weight';
}

export interface DelegateListParams extends ListParams {
  sort?: 'power' | 'delegators';
  q?: string;
}

export interface ModelListParams extends ListParams {
  family?: string;
  status?: ModelStatus;
  q?: string;
}

export interface ResultListParams extends ListParams {
  model?: string;
  suite?: string;
  evaluator?: string;
  status?: ResultStatus;
}

export interface DisputeListParams extends ListParams {
  status?: DisputeStatus;
  evaluator?: string;
  disputer?: string;
  model?: string;
  /** A result as this API names it (`resultId:reportDigest`: that version), or a registry result id
   * (every version of that model, suite and evaluator). */
  result?: string;
}

export interface ApiErrorBody {
  error:
    | 'bad_request'
    | 'not_found'
    | 'not_ready'
    | 'internal'
    | 'wrong_signer'
    | 'duplicate'
    | 'stale'
    | 'payload_too_large'
    | 'method_not_allowed';
  parameter?: string;
  message: string;
}
