// The shapes the indexer API returns (see ../../API.md). uint256 values are decimal strings, addresses and
// hashes lowercase 0x-hex, times unix seconds, metric values and thresholds fixed-point with 18 decimals.

import type {
  Comparator,
  DisputeOutcome,
  PolicyFailureReason,
  PostedResultStatus,
  ProposalKind,
  ProposalState,
  RegisteredModelStatus,
  VoteSupport,
} from '@charter/contracts/protocol';

import type { changeKinds, timelineEvents } from './vocabulary';

// The protocol's enumerations, under the names this API has always used for them.
export type {
  Comparator,
  DisputeOutcome,
  ProposalKind as ActionKind,
  ProposalState,
  PolicyFailureReason as EvidenceFailureReason,
  PostedResultStatus as ResultStatus,
  RegisteredModelStatus as ModelStatus,
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
  proposalGuardian: string | null;
  tokenName: string;
  tokenSymbol: string;
  totalSupply: string;
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
  evidence: Evidence | null;
}

/** The evidence for a model against the active version of a policy, as `PolicyRegistry` checks it. */
export interface Evidence {
  modelId: string;
  policyId: string;
  policyName: string;
  /** The active version, which an approval executed now would be checked against; null if never set. */
  policyVersion: number | null;
  /** Whether `approve(modelId, policyId)` would succeed at the latest indexed block. */
  wouldExecuteNow: boolean;
  /** Why not: the first failing rule with the contract's reason, or a reason about the model itself. */
  failure: EvidenceFailure | null;
  rules: EvidenceRule[];
}

/**
 * The custom error `approve(modelId, policyId)` would revert with now, and the protocol's words for it
 * (the same words the web app and the CLI give for that revert).
 */
export interface EvidenceFailure {
  /** The failing rule's index, 0-based as the contract counts (people read "Rule index+1"). */
  rule: number | null;
  reason: EvidenceFailureReason;
  /** The contract's custom error: `PolicyRegistryThresholdNotMet`... */
  error: string;
  message: string;
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
  /** Not older than the policy's maximum evidence age. */
  fresh: boolean;
  /** The value meets the threshold. It counts when it is also valid and fresh. */
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
  /** The latest 50. */
  votes: AccountVote[];
}

export interface Model {
  /** The artifact digest. */
  id: string;
  family: string;
  version: string;
  uri: string;
  parentId: string | null;
  registrant: string;
  registeredAt: number;
  status: ModelStatus;
  approvedUnder: { policyId: string; policyVersion: number } | null;
}

export interface ModelHistoryEntry {
  status: ModelStatus;
  at: number;
  tx: string;
  policyId?: string;
  policyVersion?: number;
  reason?: string;
}

export interface ModelDetail extends Model {
  history: ModelHistoryEntry[];
  results: Result[];
}

export interface Family {
  family: string;
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
}

export interface Dispute {
  disputer: string;
  reason: string;
  at: number;
  resolved: DisputeOutcome | null;
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
  disputes: Dispute[];
}

export type ChangeKind = (typeof changeKinds)[number];

/** A change committed to the database. For a vote, `id` is its proposal's id. */
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

export interface ApiErrorBody {
  error: 'bad_request' | 'not_found' | 'not_ready' | 'internal';
  parameter?: string;
  message: string;
}
