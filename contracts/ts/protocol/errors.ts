import { decodeErrorResult, type Hex } from 'viem';

import { charterErrorsAbi } from '../generated/abis';
import { formatEth, formatMetric, formatWad } from './fixedPoint';
import { bytes32ToText } from './shortName';
import {
  comparators,
  comparatorWords,
  modelStatuses,
  proposalStates,
  resultStatuses,
  type PolicyFailureReason,
} from './vocabulary';
import { formatDuration, ruleLabel, shortHex } from './words';

// The catalogue that turns each of the contracts' custom errors into words. The API, the web app and the
// evaluator CLI all describe a revert through it, so one failure reads the same everywhere.

/** A custom error decoded from revert data. */
export interface CharterError {
  name: string;
  args: readonly unknown[];
  /** The error in a person's words. */
  message: string;
}

/** Names the catalogue may use in place of ids (a suite's name, say). */
export interface ErrorContext {
  suiteName?: (suiteId: Hex) => string | undefined;
  /** A model family's name by its id (keccak256 of the name). */
  familyName?: (familyId: Hex) => string | undefined;
}

type Args = readonly unknown[];
type Say = (args: Args, context: ErrorContext) => string;

const tokens = (value: unknown) => `${formatWad(value as bigint, 2)} votes`;
const who = (account: unknown) => shortHex(account as string);
const suite = (id: unknown, context: ErrorContext) => {
  const name = context.suiteName?.(id as Hex);
  return name ? `suite ${name}` : `suite ${shortHex(id as string)}`;
};
const family = (id: unknown, context: ErrorContext) => {
  const name = context.familyName?.(id as Hex);
  return name ? `family ${name}` : `family ${shortHex(id as string)}`;
};
const version = (id: unknown) => (BigInt(id as Hex) === 0n ? 'none' : shortHex(id as string));
const policyName = (id: unknown) => `policy ${bytes32ToText(id as Hex)}`;
const status = (list: readonly string[], value: unknown) => list[Number(value)] ?? `#${value}`;

const isoTime = (unix: unknown) => new Date(Number(unix) * 1000).toISOString();
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The governor's `expectedStates` bitmap as "succeeded or queued". */
function statesIn(bitmap: Hex): string {
  const bits = BigInt(bitmap);
  const names = proposalStates.filter((_, i) => (bits >> BigInt(i)) & 1n);
  return names.length ? names.join(' or ') : 'another state';
}

/** Why game parameters are refused: the rules `EvidenceRegistry` checks, with the values given. */
function invalidGame(parameters: unknown): string {
  const p = (parameters ?? {}) as Partial<Record<string, bigint | number>>;
  return `The evidence game's parameters are invalid: the challenge period (${formatDuration(p.challengePeriod ?? 0)}), the resolution timeout (${formatDuration(p.resolutionTimeout ?? 0)}) and both bonds (minimum ${formatEth(BigInt(p.minBond ?? 0))}, dispute ${formatEth(BigInt(p.disputeBond ?? 0))}) must be above zero, the unbonding delay (${formatDuration(p.unbondingDelay ?? 0)}) longer than the challenge period, the unbonding delay and resolution timeout at most 365 days, and the disputer's share (${p.disputerShareBps ?? 0} bps) at most 10,000 bps.`;
}

const catalogue: Record<string, Say> = {
  PolicyRegistryThresholdNotMet: ([i, metric, comparator, threshold, value, satisfied, required]) =>
    `${ruleLabel(i as bigint)} is not met: ${bytes32ToText(metric as Hex)} must be ${comparatorWords[status(comparators, comparator) as '>=']} ${formatMetric(threshold as bigint)}; the best result short of it is ${formatMetric(value as bigint)}, and ${satisfied} of the ${required} evaluators required meet it.`,
  PolicyRegistryEvidenceMissing: ([i, suiteId, satisfied, required], c) =>
    `${ruleLabel(i as bigint)} lacks evidence: ${required} evaluators must have a countable result for ${suite(suiteId, c)}, and ${satisfied} do.`,
  PolicyRegistryEvidenceTooOld: ([i, suiteId, age, maxAge], c) =>
    `${ruleLabel(i as bigint)}: the newest result for ${suite(suiteId, c)} is ${formatDuration(age as bigint)} old; the policy accepts at most ${formatDuration(maxAge as bigint)}.`,
  PolicyRegistryEvidenceInChallengeWindow: ([i, suiteId, evaluator, from], c) =>
    `${ruleLabel(i as bigint)}: the result of ${who(evaluator)} for ${suite(suiteId, c)} is still in its challenge window and counts from ${isoTime(from)}, if nobody disputes it by then.`,
  PolicyRegistryEvidenceDisputed: ([i, suiteId, evaluator], c) =>
    `${ruleLabel(i as bigint)}: the result of ${who(evaluator)} for ${suite(suiteId, c)} is disputed or struck and does not count unless the dispute is rejected.`,
  PolicyRegistryEvaluatorUnderbonded: ([i, suiteId, evaluator, bond, minBond], c) =>
    `${ruleLabel(i as bigint)}: the result of ${who(evaluator)} for ${suite(suiteId, c)} does not count: its evaluator has bonded ${formatEth(bond as bigint)}, below the ${formatEth(minBond as bigint)} required.`,
  PolicyRegistryUnknownPolicy: ([id]) => `There is no policy named ${bytes32ToText(id as Hex)}.`,
  PolicyRegistryUnknownVersion: ([id, version]) =>
    `Policy ${bytes32ToText(id as Hex)} has no version ${version}.`,
  PolicyRegistryInvalidPolicy: ([id, rules, minEvaluators, maxAge]) =>
    `Policy ${bytes32ToText(id as Hex)} is invalid: it needs 1 to 16 rules (has ${rules}), at least one evaluator (has ${minEvaluators}) and a maximum evidence age above zero (has ${maxAge} s).`,
  PolicyRegistryUnknownMetric: ([suiteId, metric], c) =>
    `${suite(suiteId, c)} has no metric ${bytes32ToText(metric as Hex)}.`,
  ModelRegistryInvalidTransition: ([id, from, to]) =>
    `Model ${shortHex(id as string)} is ${status(modelStatuses, from)} and cannot become ${status(modelStatuses, to)}.`,
  ModelRegistryUnknownModel: ([id]) => `No model version has the digest ${shortHex(id as string)}.`,
  ModelRegistryDigestTaken: ([id]) =>
    `A version with digest ${shortHex(id as string)} is already registered.`,
  ModelRegistryVersionTaken: ([family, version]) =>
    `${family} already has a version labelled ${version}.`,
  ModelRegistryInvalidModel: () => 'A model needs a family, a version label and a digest.',
  ModelRegistryParentFamilyMismatch: ([parent]) =>
    `The parent version ${shortHex(parent as string)} belongs to another family.`,
  ModelRegistryNotMaintainer: ([familyId, caller], c) =>
    `Only the maintainer of ${family(familyId, c)} or governance may do this, not ${who(caller)}.`,
  ModelRegistryNoFamilyPolicy: ([familyId], c) =>
    `${capitalise(family(familyId, c))} has no governing policy: governance must set one before any of its versions can be approved.`,
  ModelRegistryPolicyMismatch: ([familyId, governing, named], c) =>
    `${capitalise(family(familyId, c))} is governed by ${policyName(governing)}, not by ${policyName(named)}, which the approval names.`,
  ModelRegistryPolicyVersionChanged: ([policyId, voted, active]) =>
    `${capitalise(policyName(policyId))} changed after the vote: the approval was voted under version ${voted}, and version ${active} is active now.`,
  ModelRegistryCurrentVersionChanged: ([familyId, expected, actual], c) =>
    `The current version of ${family(familyId, c)} changed after the proposal: the approval expects ${version(expected)}, and it is ${version(actual)} now.`,
  ModelRegistryApprovalOutsideWindow: ([opensAt, expiresAt]) =>
    `The approval may execute only from ${isoTime(opensAt)} until ${isoTime(expiresAt)}, and it is outside that window now.`,
  ModelRegistryNotGuardian: ([caller]) =>
    `Only the guardian (the security council) may do this while its term lasts, not ${who(caller)}.`,
  ModelRegistrySuspendedOnce: ([id]) =>
    `Model ${shortHex(id as string)} was already suspended once since its approval; only a new approval allows another suspension.`,
  ModelRegistrySuspensionNotLapsed: ([id, until]) =>
    `The suspension of model ${shortHex(id as string)} lasts until ${isoTime(until)}; it has not lapsed yet.`,
  ModelRegistryInvalidDuration: ([duration]) =>
    `A duration of ${formatDuration(duration as bigint)} is not allowed: it must be above zero.`,
  EvidenceRegistryNotEvaluator: ([account]) => `${who(account)} is not an admitted evaluator.`,
  EvidenceRegistryUnknownSuite: ([suiteId], c) =>
    `${capitalise(suite(suiteId, c))} is not registered.`,
  EvidenceRegistrySuiteExists: ([suiteId], c) =>
    `${capitalise(suite(suiteId, c))} is already registered.`,
  EvidenceRegistryMetricsMismatch: ([suiteId], c) =>
    `The metrics do not match those registered for ${suite(suiteId, c)}, in order.`,
  EvidenceRegistryValuesLength: ([metrics, values]) =>
    `The suite has ${metrics} metrics but ${values} values were given.`,
  EvidenceRegistryValueTooLarge: ([index, value]) =>
    `Metric value ${Number(index) + 1} (${value}) is too large.`,
  EvidenceRegistryAlreadySubmitted: ([, digest]) =>
    `This report (${shortHex(digest as string)}) is already the evaluator's live result.`,
  EvidenceRegistrySignatureExpired: ([deadline]) =>
    `The signature expired at ${isoTime(deadline)}.`,
  EvidenceRegistryInvalidSignature: ([evaluator]) =>
    `The signature is not ${who(evaluator)}'s for this submission and nonce.`,
  EvidenceRegistryEvaluatorAdmitted: ([evaluator]) =>
    `${who(evaluator)} is already an admitted evaluator.`,
  EvidenceRegistryMissingDigest: () => 'A model id, suite id and report digest are required.',
  EvidenceRegistryInvalidMetrics: ([count]) => `A suite needs 1 to 32 metrics, not ${count}.`,
  EvidenceRegistrySelfDispute: () => 'An evaluator cannot dispute its own result.',
  EvidenceRegistryNotDisputable: ([, resultStatus]) =>
    `The result is ${status(resultStatuses, resultStatus)} and cannot be disputed.`,
  EvidenceRegistryReportMismatch: () =>
    'The result was replaced since the dispute was written: it names another report.',
  EvidenceRegistryZeroAmount: () => 'The amount must be above zero.',
  EvidenceRegistryWrongDisputeBond: ([sent, required]) =>
    `A dispute must carry exactly ${formatEth(required as bigint)} as its bond, not ${formatEth(sent as bigint)}.`,
  EvidenceRegistryChallengeWindowClosed: ([, closedAt]) =>
    `The result's challenge window closed at ${isoTime(closedAt)}: it can no longer be disputed.`,
  EvidenceRegistryDisputerBarred: ([, disputer]) =>
    `${who(disputer)} disputed this result before and the dispute was rejected: it cannot dispute it again.`,
  EvidenceRegistryInvalidSampleProof: ([, sampleId]) =>
    `The proof of sample ${JSON.stringify(sampleId)} does not match the result's samples root: the sample is not committed as given.`,
  EvidenceRegistryClaimMatchesCommitted: ([sampleId]) =>
    `The claimed outcome of sample ${JSON.stringify(sampleId)} is the one the result commits to: there is nothing to dispute.`,
  EvidenceRegistryReportStruck: ([, digest]) =>
    `The report ${shortHex(digest as string)} was struck by an upheld dispute and cannot be posted again.`,
  EvidenceRegistryNotResolver: ([caller]) =>
    `Only governance or the resolver it appoints may resolve disputes, not ${who(caller)}.`,
  EvidenceRegistryDisputeNotOpen: ([id]) =>
    `Dispute ${id} is not open: it was resolved, or never filed.`,
  EvidenceRegistryResolutionNotLapsed: ([id, lapsesAt]) =>
    `Dispute ${id} can be resolved by default only from ${isoTime(lapsesAt)}; until then governance or the resolver decides it.`,
  EvidenceRegistryUnbondingLocked: ([readyAt]) =>
    `The unbonding stake can be withdrawn from ${isoTime(readyAt)}, not before.`,
  EvidenceRegistryDisputesOpen: ([evaluator, open]) =>
    `${who(evaluator)} has ${open} open ${open === 1n ? 'dispute' : 'disputes'} against it: its stake stays until they are resolved.`,
  EvidenceRegistryInsufficientBond: ([bonded, requested]) =>
    `Only ${formatEth(bonded as bigint)} is bonded; ${formatEth(requested as bigint)} cannot be unbonded.`,
  EvidenceRegistryNothingToWithdraw: ([account]) => `${who(account)} has nothing to withdraw.`,
  EvidenceRegistryInvalidGameParameters: ([parameters]) => invalidGame(parameters),
  EvidenceRegistryNonceNotIncreasing: ([current, requested]) =>
    `The nonce only moves forward: it is ${current}, and ${requested} is not above it.`,
  EvidenceRegistryNonceJumpTooLarge: ([current, requested, maxJump]) =>
    `The nonce moves forward by at most ${(maxJump as bigint).toLocaleString('en')} at a time: ${current} to ${requested} is further.`,
  GovernedUnauthorized: ([caller]) =>
    `Only governance (the timelock) may do this, not ${who(caller)}.`,
  GovernorUnexpectedProposalState: ([, current, expected]) =>
    `The proposal is ${status(proposalStates, current)}; this needs it to be ${statesIn(expected as Hex)}.`,
  GovernorAlreadyCastVote: ([voter]) => `${who(voter)} has already voted on this proposal.`,
  GovernorInsufficientProposerVotes: ([proposer, votes, threshold]) =>
    `${who(proposer)} has ${tokens(votes)}; proposing needs ${tokens(threshold)}. Delegate to yourself first if you hold tokens.`,
  GovernorNonexistentProposal: ([id]) => `There is no proposal ${shortHex(String(id))}.`,
  GovernorInvalidProposalLength: () =>
    'The proposal’s targets, values and calldata differ in length.',
  GovernorRestrictedProposer: ([proposer]) =>
    `${who(proposer)} may not make this proposal (its description restricts the proposer).`,
  GovernorUnableToCancel: ([, account]) => `${who(account)} may not cancel this proposal now.`,
  GovernorInvalidVoteType: () => 'Votes are for, against or abstain.',
  GovernorInvalidSignature: ([voter]) => `The vote signature is not ${who(voter)}'s.`,
  GovernorOnlyExecutor: ([account]) => `Only the timelock may do this, not ${who(account)}.`,
  TimelockUnexpectedOperationState: () =>
    'The timelock operation is not ready: its delay has not passed, or it was already executed.',
  TimelockInsufficientDelay: ([delay, min]) =>
    `A delay of ${formatDuration(delay as bigint)} is below the minimum ${formatDuration(min as bigint)}.`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `${who(sender)} holds ${formatWad(balance as bigint, 2)} tokens, not the ${formatWad(needed as bigint, 2)} needed.`,
  FailedCall: () => 'A call made by the proposal failed.',
  InsufficientBalance: ([balance, needed]) =>
    `The contract holds ${formatEth(balance as bigint)}, not the ${formatEth(needed as bigint)} it must pay out.`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `${who(spender)} may spend ${formatWad(allowance as bigint, 2)} tokens, not the ${formatWad(needed as bigint, 2)} needed.`,
  ERC20ExceededSafeSupply: ([supply, cap]) =>
    `A supply of ${formatWad(supply as bigint, 2)} tokens would exceed the ${formatWad(cap as bigint, 2)} that votes can count.`,
  ERC20InvalidApprover: ([account]) => `${who(account)} cannot approve spending.`,
  ERC20InvalidReceiver: ([account]) => `${who(account)} cannot receive tokens.`,
  ERC20InvalidSender: ([account]) => `${who(account)} cannot send tokens.`,
  ERC20InvalidSpender: ([account]) => `${who(account)} cannot be approved to spend.`,
  ERC2612ExpiredSignature: ([deadline]) => `The permit expired at ${isoTime(deadline)}.`,
  ERC2612InvalidSigner: ([signer, owner]) =>
    `The permit is signed by ${who(signer)}, not by the owner ${who(owner)}.`,
  ERC5805FutureLookup: ([timepoint, clock]) =>
    `Votes at ${isoTime(timepoint)} are not known yet (the clock reads ${isoTime(clock)}).`,
  VotesExpiredSignature: ([expiry]) => `The delegation signature expired at ${isoTime(expiry)}.`,
  InvalidAccountNonce: ([account, nonce]) =>
    `The signature uses a stale nonce for ${who(account)}; its current nonce is ${nonce}.`,
  ECDSAInvalidSignature: () => 'The signature is not valid.',
  ECDSAInvalidSignatureLength: ([length]) => `A signature of ${length} bytes is not valid.`,
  ECDSAInvalidSignatureS: () => 'The signature is malleable (its s value is too high).',
  CheckpointUnorderedInsertion: () => 'A vote checkpoint cannot be written in the past.',
  SafeCastOverflowedUintDowncast: ([bits, value]) => `${value} does not fit in ${bits} bits.`,
  InvalidShortString: () => 'A name is too long to store.',
  StringTooLong: ([text]) => `The text ${JSON.stringify(text)} is too long.`,
  CharterGovernorTokenClockNotTimestamp: ([mode]) =>
    `The governor needs a token that counts time in seconds; this one's clock is ${JSON.stringify(mode)}.`,
  CharterGovernorZeroQuorum: () => 'The quorum cannot be zero.',
  CharterGovernorGuardianChangeNotAlone: ([index]) =>
    `Action ${Number(index) + 1} changes the guardian or its term, so the proposal may do nothing else: the guardian cannot cancel it, and no other action may shelter behind that.`,
  CharterGovernorGuardianCannotCancel: ([id]) =>
    `The guardian cannot cancel proposal ${shortHex(String(id))}: it changes the guardian or its term.`,
  GovernorAlreadyQueuedProposal: ([id]) => `Proposal ${shortHex(String(id))} is already queued.`,
  GovernorDisabledDeposit: () => 'The governor does not accept deposits.',
  GovernorInvalidQuorumFraction: ([numerator, denominator]) =>
    `A quorum of ${numerator}/${denominator} is not a fraction of the supply.`,
  GovernorInvalidVoteParams: () => 'This governor takes no vote parameters.',
  GovernorInvalidVotingPeriod: ([period]) =>
    `A voting period of ${formatDuration(period as bigint)} is too short.`,
  GovernorPreventLateQuorumVoteExtensionTooLarge: ([extension, max]) =>
    `A late-quorum extension of ${formatDuration(extension as bigint)} exceeds the ${formatDuration(max as bigint)} allowed.`,
  GovernorProposalQueueingFailed: ([id]) => `Proposal ${shortHex(String(id))} could not be queued.`,
  GovernorProposalQueueingNotRequired: ([id]) =>
    `Proposal ${shortHex(String(id))} does not need to be queued.`,
  AccessControlBadConfirmation: () => 'An account may only renounce its own role.',
  AccessControlUnauthorizedAccount: ([account, role]) =>
    `${who(account)} lacks the role ${shortHex(role as string)}.`,
  TimelockInvalidOperationLength: ([targets, payloads, values]) =>
    `The operation's targets (${targets}), calldata (${payloads}) and values (${values}) differ in length.`,
  TimelockUnauthorizedCaller: ([caller]) => `${who(caller)} may not call the timelock.`,
  TimelockUnexecutedPredecessor: ([id]) =>
    `The operation ${shortHex(id as string)} it depends on has not been executed.`,
  GovernedZeroAddress: () => 'Governance cannot be the zero address.',
};

/** Why the evidence falls short, by the error that says so. */
export const policyFailureReasonOf: Record<string, PolicyFailureReason> = {
  PolicyRegistryThresholdNotMet: 'threshold',
  PolicyRegistryEvidenceTooOld: 'too-old',
  PolicyRegistryEvidenceInChallengeWindow: 'in-window',
  PolicyRegistryEvidenceDisputed: 'disputed',
  PolicyRegistryEvaluatorUnderbonded: 'underbonded',
  PolicyRegistryEvidenceMissing: 'missing',
  ModelRegistryUnknownModel: 'unknown-model',
  ModelRegistryInvalidTransition: 'invalid-transition',
  PolicyRegistryUnknownPolicy: 'unknown-policy',
  ModelRegistryNoFamilyPolicy: 'no-family-policy',
};

/** A decoded error in words; its name and values when the catalogue has no sentence for it. */
export function describeCharterError(
  name: string,
  args: Args = [],
  context: ErrorContext = {},
): string {
  const say = catalogue[name];
  if (say) return say(args, context);
  const values = args.map((a) => (typeof a === 'bigint' ? a.toString() : String(a)));
  return `${name}(${values.join(', ')})`;
}

/** Revert data decoded against every Charter contract's errors; undefined when none matches. */
export function decodeCharterError(
  data: Hex,
  context: ErrorContext = {},
): CharterError | undefined {
  if (!data || data === '0x') return undefined;
  try {
    const { errorName, args = [] } = decodeErrorResult({ abi: charterErrorsAbi, data });
    return { name: errorName, args, message: describeCharterError(errorName, args, context) };
  } catch {
    return undefined;
  }
}

/** Revert data in words, whatever it holds. */
export function describeRevertData(data: Hex | undefined, context: ErrorContext = {}): string {
  if (!data || data === '0x') return 'The transaction reverted without a reason.';
  return (
    decodeCharterError(data, context)?.message ??
    `The transaction reverted with unknown data ${shortHex(data, 10, 8)}.`
  );
}

/** Which rule a policy error names, 0-based as the contract counts; undefined for other errors. */
export function failingRuleIndex(error: CharterError): number | undefined {
  return error.name.startsWith('PolicyRegistry') && typeof error.args[0] === 'bigint'
    ? Number(error.args[0])
    : undefined;
}
