// Reverts in words: the contracts' custom errors carry the offending values; this says what they mean.
import { charterErrorsAbi } from '@charter/contracts/abis';
import { decodeErrorResult, type Hex } from 'viem';

import { bytes32ToText, formatDuration, formatMetric, formatTokens, shortHex } from './format';

const proposalStates = [
  'pending',
  'active',
  'canceled',
  'defeated',
  'succeeded',
  'queued',
  'expired',
  'executed',
];
const modelStatuses = ['unknown', 'candidate', 'approved', 'deprecated', 'revoked'];
const resultStatuses = ['missing', 'valid', 'disputed', 'struck'];
const comparators = ['at least', 'at most'];

/** The states set in a governor `expectedStates` bitmap. */
function statesIn(bitmap: Hex): string {
  const bits = BigInt(bitmap);
  const names = proposalStates.filter((_, i) => (bits >> BigInt(i)) & 1n);
  return names.length ? names.join(' or ') : 'another state';
}

const metricText = (id: Hex) => bytes32ToText(id);
const rule = (index: bigint) => `Rule ${Number(index) + 1}`;

type Args = readonly unknown[];
const words: Record<string, (a: Args) => string> = {
  PolicyRegistryThresholdNotMet: ([i, metric, comparator, threshold, value, satisfied, required]) =>
    `${rule(i as bigint)} is not met: ${metricText(metric as Hex)} must be ${comparators[Number(comparator)]} ${formatMetric(threshold as bigint)}, the best result short of it is ${formatMetric(value as bigint)}, and ${satisfied} of the ${required} evaluators required meet it.`,
  PolicyRegistryEvidenceMissing: ([i, suite, satisfied, required]) =>
    `${rule(i as bigint)} lacks evidence: ${required} evaluators must have a result for suite ${shortHex(suite as string)}, and ${satisfied} do.`,
  PolicyRegistryEvidenceTooOld: ([i, suite, age, maxAge]) =>
    `${rule(i as bigint)}: the newest result for suite ${shortHex(suite as string)} is ${formatDuration(Number(age))} old; the policy accepts at most ${formatDuration(Number(maxAge))}.`,
  PolicyRegistryEvidenceDisputed: ([i, suite, evaluator]) =>
    `${rule(i as bigint)}: the result of ${shortHex(evaluator as string)} for suite ${shortHex(suite as string)} is disputed and does not count until governance resolves the dispute.`,
  PolicyRegistryUnknownPolicy: ([id]) => `There is no policy named ${bytes32ToText(id as Hex)}.`,
  PolicyRegistryUnknownVersion: ([id, version]) =>
    `Policy ${bytes32ToText(id as Hex)} has no version ${version}.`,
  PolicyRegistryInvalidPolicy: ([id, rules, minEvaluators, maxAge]) =>
    `Policy ${bytes32ToText(id as Hex)} is invalid: it needs 1 to 16 rules (has ${rules}), at least one evaluator (has ${minEvaluators}) and a maximum evidence age above zero (has ${maxAge} s).`,
  PolicyRegistryUnknownMetric: ([suite, metric]) =>
    `Suite ${shortHex(suite as string)} has no metric ${metricText(metric as Hex)}.`,
  ModelRegistryInvalidTransition: ([id, from, to]) =>
    `Model ${shortHex(id as string)} is ${modelStatuses[Number(from)]} and cannot become ${modelStatuses[Number(to)]}.`,
  ModelRegistryUnknownModel: ([id]) => `No model version has the digest ${shortHex(id as string)}.`,
  ModelRegistryDigestTaken: ([id]) =>
    `A version with digest ${shortHex(id as string)} is already registered.`,
  ModelRegistryVersionTaken: ([family, version]) =>
    `${family} already has a version labelled ${version}.`,
  ModelRegistryInvalidModel: () => 'A model needs a family, a version label and a digest.',
  ModelRegistryParentFamilyMismatch: ([parent]) =>
    `The parent version ${shortHex(parent as string)} belongs to another family.`,
  EvidenceRegistryNotEvaluator: ([account]) =>
    `${shortHex(account as string)} is not an admitted evaluator.`,
  EvidenceRegistryUnknownSuite: ([suite]) =>
    `Suite ${shortHex(suite as string)} is not registered.`,
  EvidenceRegistrySuiteExists: ([suite]) =>
    `Suite ${shortHex(suite as string)} is already registered.`,
  EvidenceRegistryMetricsMismatch: ([suite]) =>
    `The metrics do not match those registered for suite ${shortHex(suite as string)}, in order.`,
  EvidenceRegistryValuesLength: ([metrics, values]) =>
    `The suite has ${metrics} metrics but ${values} values were given.`,
  EvidenceRegistryValueTooLarge: ([index, value]) =>
    `Metric value ${Number(index) + 1} (${value}) is too large.`,
  EvidenceRegistryAlreadySubmitted: ([, digest]) =>
    `This report (${shortHex(digest as string)}) is already the evaluator's live result.`,
  EvidenceRegistryResultDisputed: () =>
    'The live result is disputed; a new one cannot replace it until governance resolves the dispute.',
  EvidenceRegistrySignatureExpired: ([deadline]) =>
    `The signature expired (deadline ${new Date(Number(deadline) * 1000).toISOString()}).`,
  EvidenceRegistryInvalidSignature: ([evaluator]) =>
    `The signature is not ${shortHex(evaluator as string)}'s for this submission and nonce.`,
  EvidenceRegistryEvaluatorAdmitted: ([evaluator]) =>
    `${shortHex(evaluator as string)} is already an admitted evaluator.`,
  EvidenceRegistryMissingDigest: () => 'A model id, suite id and report digest are required.',
  EvidenceRegistryInvalidMetrics: ([count]) => `A suite needs 1 to 32 metrics, not ${count}.`,
  EvidenceRegistrySelfDispute: () => 'An evaluator cannot dispute its own result.',
  EvidenceRegistryNotDisputable: ([, status]) =>
    `The result is ${resultStatuses[Number(status)]} and cannot be disputed.`,
  EvidenceRegistryReportMismatch: () =>
    'The result was replaced since the dispute was written: it names another report.',
  EvidenceRegistryNoDispute: () => 'The result has no open dispute.',
  GovernedUnauthorized: ([caller]) =>
    `Only governance (the timelock) may do this, not ${shortHex(caller as string)}.`,
  GovernorUnexpectedProposalState: ([, current, expected]) =>
    `The proposal is ${proposalStates[Number(current)]}; this needs it to be ${statesIn(expected as Hex)}.`,
  GovernorAlreadyCastVote: ([voter]) =>
    `${shortHex(voter as string)} has already voted on this proposal.`,
  GovernorInsufficientProposerVotes: ([proposer, votes, threshold]) =>
    `${shortHex(proposer as string)} has ${formatTokens(votes as bigint)} of voting power; proposing needs ${formatTokens(threshold as bigint)}. Delegate to yourself first if you hold tokens.`,
  GovernorNonexistentProposal: ([id]) => `There is no proposal ${shortHex(String(id))}.`,
  GovernorInvalidProposalLength: () =>
    'The proposal’s targets, values and calldata differ in length.',
  GovernorRestrictedProposer: ([proposer]) =>
    `${shortHex(proposer as string)} may not make this proposal (its description restricts the proposer).`,
  GovernorUnableToCancel: ([, account]) =>
    `${shortHex(account as string)} may not cancel this proposal now.`,
  GovernorInvalidVoteType: () => 'Votes are for, against or abstain.',
  GovernorInvalidSignature: ([voter]) =>
    `The vote signature is not ${shortHex(voter as string)}'s.`,
  GovernorOnlyExecutor: ([account]) =>
    `Only the timelock may do this, not ${shortHex(account as string)}.`,
  TimelockUnexpectedOperationState: () =>
    'The timelock operation is not ready: its delay has not passed, or it was already executed.',
  TimelockInsufficientDelay: ([delay, min]) =>
    `A delay of ${formatDuration(Number(delay))} is below the minimum ${formatDuration(Number(min))}.`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `${shortHex(sender as string)} holds ${formatTokens(balance as bigint)}, not the ${formatTokens(needed as bigint)} needed.`,
  FailedCall: () => 'A call made by the proposal failed.',
};

/** A revert's data as a sentence; the error's name and values when there is no sentence for it. */
export function describeRevert(data: Hex): string {
  if (!data || data === '0x') return 'The transaction reverted without a reason.';
  try {
    const { errorName, args = [] } = decodeErrorResult({ abi: charterErrorsAbi, data });
    const say = words[errorName];
    if (say) return say(args);
    const values = (args as Args).map((a) => (typeof a === 'bigint' ? a.toString() : String(a)));
    return `${errorName}(${values.join(', ')})`;
  } catch {
    return `The transaction reverted with unknown data ${shortHex(data, 10, 8)}.`;
  }
}

interface ErrorLike {
  code?: number;
  data?: unknown;
  cause?: unknown;
  shortMessage?: string;
  message?: string;
  details?: string;
}

/** The revert data somewhere in a viem or wallet error chain. */
export function revertData(error: unknown): Hex | undefined {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    const data = current.data as unknown;
    if (typeof data === 'string' && data.startsWith('0x')) return data as Hex;
    if (data && typeof data === 'object') {
      const nested =
        (data as { data?: unknown; originalError?: { data?: unknown } }).data ??
        (data as { originalError?: { data?: unknown } }).originalError?.data;
      if (typeof nested === 'string' && nested.startsWith('0x')) return nested as Hex;
    }
    current = current.cause as ErrorLike | undefined;
  }
  return undefined;
}

/** Any failure of a wallet or chain request, in words for the person who made it. */
export function describeError(error: unknown): string {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.code === 4001) return 'You rejected the request in your wallet.';
    current = current.cause as ErrorLike | undefined;
  }
  const data = revertData(error);
  if (data && data !== '0x') return describeRevert(data);
  const e = error as ErrorLike;
  return e?.shortMessage ?? e?.message ?? String(error);
}
