// The guided proposal form's state, and how it becomes proposal actions. Kept free of viem so that the form
// can say what each action does before the encoders load.
import {
  bytes32ToText,
  formatDuration,
  formatMetric,
  parseWad,
  proposalKinds,
  ruleLabel,
  shortHex,
  shortNameToBytes32,
  formatEth,
  type Comparator,
  type GameParameters,
  type ProposalKind,
} from '@charter/contracts/protocol';

import { formatEther, parseEther } from 'viem';

import { comparatorSymbol, formatDate } from '$lib/format';
import type { Evaluator, Model, PolicySummary } from '$lib/indexer';
import type { ActionInput } from '$lib/wallet/calls';

/** The proposal kinds a guided form writes (the protocol's, less those it only recognises), and raw calls. */
export type DraftKind = Exclude<ProposalKind, 'governance' | 'other'> | 'raw';

const formLabels: Record<DraftKind, string> = {
  'approve-model': 'Approve a model version',
  'deprecate-model': 'Deprecate a model version',
  'revoke-model': 'Revoke a model version',
  'set-policy': 'Set a safety policy',
  'admit-evaluator': 'Admit an evaluator',
  'remove-evaluator': 'Remove an evaluator',
  'register-suite': 'Register a benchmark suite',
  'resolve-dispute': 'Resolve a dispute (uphold or reject)',
  'set-game-parameters': 'Set the evidence game’s parameters (window, bonds, timeouts)',
  'set-resolver': 'Set the dispute resolver',
  'set-family-policy': 'Set the policy that governs a model family',
  'set-maintainer': 'Transfer a family’s maintainership',
  'lift-suspension': 'Lift a suspension',
  'set-approval-window': 'Set the approval window',
  'set-max-suspension': 'Set the longest suspension',
  'set-guardian': 'Set the guardian (security council)',
  'set-guardian-term': 'Renew or end the guardian’s term',
  raw: 'Raw call (any contract, any calldata)',
};

/** The choices of the form's "Action" select, in the protocol's order. */
const isDraftKind = (kind: string): kind is DraftKind => kind in formLabels;
export const actionKinds: [DraftKind, string][] = [...proposalKinds, 'raw']
  .filter(isDraftKind)
  .map((kind) => [kind, formLabels[kind]]);

export interface RuleDraft {
  suiteId: string;
  metric: string;
  comparator: Comparator;
  threshold: string;
}

/** Every field any kind of action asks for; each kind reads its own. */
export interface Draft {
  kind: DraftKind;
  modelId: string;
  policyId: string;
  reason: string;
  policyName: string;
  rules: RuleDraft[];
  minEvaluators: string;
  maxEvidenceAgeDays: string;
  uri: string;
  evaluator: string;
  evaluatorName: string;
  suiteId: string;
  datasetDigest: string;
  metrics: string;
  /** A dispute's id, as the registry numbers them (1, 2, 3, ...). */
  disputeId: string;
  upheld: 'uphold' | 'reject';
  /** The evidence game's parameters as the form edits them: durations in days, bonds in ETH. */
  game: GameDraft;
  /** An approval's life from the proposal: it can execute until then (days, decimals allowed). */
  expiresInDays: string;
  family: string;
  /** A family's new maintainer, the new guardian, or the new resolver. */
  account: string;
  /** The approval window or the longest suspension, in days. */
  durationDays: string;
  /** The guardian's term end, a UTC date (YYYY-MM-DD). */
  termEnd: string;
  target: string;
  value: string;
  calldata: string;
}

/** The evidence game's parameters as people type them. */
export interface GameDraft {
  challengePeriodDays: string;
  minBondEth: string;
  disputeBondEth: string;
  unbondingDelayDays: string;
  resolutionTimeoutDays: string;
  /** The disputer's share of a slashed stake, in percent. */
  disputerSharePercent: string;
}

const emptyGameDraft: GameDraft = {
  challengePeriodDays: '',
  minBondEth: '',
  disputeBondEth: '',
  unbondingDelayDays: '',
  resolutionTimeoutDays: '',
  disputerSharePercent: '',
};

/** The game parameters as the indexer lists them (wei as decimal strings) or as the contracts take them. */
type GameParametersLike = Omit<GameParameters, 'minBond' | 'disputeBond'> & {
  minBond: bigint | string;
  disputeBond: bigint | string;
};

/** The form's fields filled with the parameters in force, so a proposal changes only what it means to. */
export function gameDraftOf(game: GameParametersLike): GameDraft {
  const inDays = (seconds: number) => String(Math.round((seconds / DAY) * 1e6) / 1e6);
  return {
    challengePeriodDays: inDays(game.challengePeriod),
    minBondEth: formatEther(BigInt(game.minBond)),
    disputeBondEth: formatEther(BigInt(game.disputeBond)),
    unbondingDelayDays: inDays(game.unbondingDelay),
    resolutionTimeoutDays: inDays(game.resolutionTimeout),
    disputerSharePercent: String(game.disputerShareBps / 100),
  };
}

export function emptyDraft(
  kind: DraftKind = 'approve-model',
  modelId = '',
  game: GameDraft = emptyGameDraft,
): Draft {
  return {
    kind,
    modelId,
    policyId: '',
    reason: '',
    policyName: '',
    rules: [{ suiteId: '', metric: '', comparator: '>=', threshold: '' }],
    minEvaluators: '2',
    maxEvidenceAgeDays: '30',
    uri: '',
    evaluator: '',
    evaluatorName: '',
    suiteId: '',
    datasetDigest: '',
    metrics: '',
    disputeId: '',
    upheld: 'reject',
    game: { ...game },
    expiresInDays: '',
    family: '',
    account: '',
    durationDays: '',
    termEnd: '',
    target: '',
    value: '0',
    calldata: '0x',
  };
}

export class DraftError extends Error {
  override name = 'DraftError';
}

const hex32 = (value: string, what: string) => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value.trim()))
    throw new DraftError(`${what} must be 0x and 64 hex digits.`);
  return value.trim().toLowerCase() as `0x${string}`;
};
const address = (value: string, what: string) => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value.trim()))
    throw new DraftError(`${what} must be an 0x address.`);
  return value.trim() as `0x${string}`;
};
const required = (value: string, what: string) => {
  const text = value.trim();
  if (!text) throw new DraftError(`${what} is required.`);
  return text;
};
/** A name the contracts store as bytes32 (policy ids, metric ids): the protocol's short-name rule. */
const shortName = (value: string, what: string) => {
  const name = required(value, what);
  try {
    shortNameToBytes32(name);
  } catch {
    throw new DraftError(`${what} must be 1 to 31 printable ASCII characters.`);
  }
  return name;
};
const wholeNumber = (value: string, what: string, min: number, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new DraftError(`${what} must be a whole number from ${min} to ${max}.`);
  return n;
};

const ZERO_HASH = `0x${'0'.repeat(64)}` as const;
const DAY = 86400;
/** The contracts keep durations and times as uint48. */
const MAX_UINT48 = 2 ** 48 - 1;

/**
 * A positive number of days (decimals allowed), as whole seconds. A number input bound with `bind:value`
 * holds a number (or null when empty), not a string.
 */
const days = (value: string | number | null, what: string) => {
  const text = String(value ?? '').trim();
  const n = Number(text);
  const seconds = Math.round(n * DAY);
  if (!text || !Number.isFinite(n) || seconds < 1 || seconds > MAX_UINT48)
    throw new DraftError(`${what} must be a positive number of days, such as 14 or 0.5.`);
  return seconds;
};

/** A family as the forms need it: the policy that governs it and its current version, from the indexer. */
export interface GovernedFamily {
  family: string;
  /** Null until governance sets it: no version of the family can be approved before. */
  policyId: string | null;
  /** The family's current version's id, or null for none. */
  currentVersion: string | null;
}

/** What the forms read from the chain (through the indexer) besides the draft itself. */
export interface DraftContext {
  /** The chain's time, unix seconds. */
  now: number;
  models: Model[];
  families: GovernedFamily[];
  policies: PolicySummary[];
  /** Seconds: how long before its expiry an approval may execute (ModelRegistry.approvalWindow). */
  approvalWindow: number;
  /** Seconds from proposing to the earliest execution: voting delay, voting period and timelock delay. */
  cycle: number;
}

/** The governance settings the forms show beside the fields that change them. */
export interface GovernanceSettings {
  /** Seconds. */
  approvalWindow: number;
  /** Seconds. */
  maxSuspension: number;
  guardian: string | null;
  /** Unix seconds; null when no term is set. */
  guardianTermEnd: number | null;
  /** Who besides governance resolves disputes; null for nobody. */
  resolver: string | null;
}

/** What an approval is pinned to, read from the chain when it is proposed. */
export interface ApprovalTerms {
  model: Model;
  policy: PolicySummary;
  /** The family's current version it replaces, or null when the family has none. */
  replaces: Model | null;
  expectedCurrent: `0x${string}`;
  expiresAt: number;
  /** The approval window opens this long before the expiry; execution before then is refused. */
  opensAt: number;
  /** The proposal cannot execute before this (voting and the timelock). */
  earliestExecution: number;
}

/** The default life of an approval: the whole approval window, so it can execute from the start. */
export const defaultExpiresInDays = (approvalWindow: number): string =>
  String(Math.round((approvalWindow / DAY) * 100) / 100);

/**
 * An approval's terms: the family's governing policy at its active version and the family's current
 * version, as the registry will compare them at execution, and an expiry the proposal can meet.
 */
export function approvalTerms(draft: Draft, context: DraftContext): ApprovalTerms {
  const modelId = hex32(draft.modelId, 'The model');
  const model = context.models.find((m) => m.id === modelId);
  if (!model) throw new DraftError('Choose a registered model version.');
  const family = context.families.find((f) => f.family === model.family);
  if (!family?.policyId)
    throw new DraftError(
      `No policy governs ${model.family} yet: propose setting the family's policy first.`,
    );
  const policy = context.policies.find((p) => p.id === family.policyId);
  if (!policy || policy.currentVersion < 1)
    throw new DraftError(`The policy that governs ${model.family} has no active version.`);
  const expectedCurrent = (family.currentVersion ?? ZERO_HASH) as `0x${string}`;
  const replaces = context.models.find((m) => m.id === family.currentVersion) ?? null;
  const expiresAt = context.now + days(draft.expiresInDays, 'The approval’s life');
  if (expiresAt > MAX_UINT48) throw new DraftError('The approval’s life is too long.');
  const earliestExecution = context.now + context.cycle;
  if (expiresAt < earliestExecution)
    throw new DraftError(
      `The approval would expire before the proposal can execute (${formatDate(earliestExecution)} at the earliest): give it at least ${formatDuration(context.cycle)}.`,
    );
  return {
    model,
    policy,
    replaces,
    expectedCurrent,
    expiresAt,
    opensAt: expiresAt - context.approvalWindow,
    earliestExecution,
  };
}

/** A proposal that changes the guardian or its term must do nothing else: the governor refuses it. */
export function proposalProblem(inputs: ActionInput[]): string | null {
  const guardianChange = inputs.findIndex(
    (input) => input.kind === 'set-guardian' || input.kind === 'set-guardian-term',
  );
  if (guardianChange !== -1 && inputs.length > 1)
    return `Action ${guardianChange + 1} changes the guardian or its term: such a proposal must do nothing else (the governor refuses it). Propose the other actions separately.`;
  return null;
}

const eth = (value: string | number | null, what: string) => {
  const text = String(value ?? '').trim();
  if (!/^\d+(\.\d{1,18})?$/.test(text))
    throw new DraftError(`${what} must be an amount of ETH, such as 1 or 0.1.`);
  const wei = parseEther(text);
  if (wei >= 2n ** 96n) throw new DraftError(`${what} is too large.`);
  return wei;
};

/** The game parameters the draft names, checked as the registry checks them. */
function gameParameters(game: GameDraft): GameParameters {
  const share = Number(String(game.disputerSharePercent).trim());
  const bps = Math.round(share * 100);
  if (String(game.disputerSharePercent).trim() === '' || !(bps >= 0 && bps <= 10_000))
    throw new DraftError('The disputer’s share must be a percentage from 0 to 100.');
  const parameters = {
    challengePeriod: days(game.challengePeriodDays, 'The challenge period'),
    minBond: eth(game.minBondEth, 'The minimum bond'),
    disputeBond: eth(game.disputeBondEth, 'The dispute bond'),
    unbondingDelay: days(game.unbondingDelayDays, 'The unbonding delay'),
    resolutionTimeout: days(game.resolutionTimeoutDays, 'The resolution timeout'),
    disputerShareBps: bps,
  };
  if (parameters.unbondingDelay <= parameters.challengePeriod)
    throw new DraftError(
      'The unbonding delay must be longer than the challenge period, so that nobody exits ahead of a dispute.',
    );
  return parameters;
}

/** The action the draft describes, checked; throws a DraftError that says what to fix. */
export function toInput(draft: Draft, context: DraftContext): ActionInput {
  switch (draft.kind) {
    case 'approve-model': {
      const terms = approvalTerms(draft, context);
      return {
        kind: 'approve-model',
        modelId: terms.model.id as `0x${string}`,
        policyId: terms.policy.id as `0x${string}`,
        policyVersion: terms.policy.currentVersion,
        expectedCurrent: terms.expectedCurrent,
        expiresAt: terms.expiresAt,
      };
    }
    case 'set-family-policy':
      return {
        kind: 'set-family-policy',
        family: required(draft.family, 'The family'),
        policyId: hex32(draft.policyId, 'The policy'),
      };
    case 'set-maintainer':
      return {
        kind: 'set-maintainer',
        family: required(draft.family, 'The family'),
        maintainer: address(draft.account, 'The new maintainer'),
      };
    case 'lift-suspension':
      return { kind: 'lift-suspension', modelId: hex32(draft.modelId, 'The model') };
    case 'set-approval-window':
      return {
        kind: 'set-approval-window',
        seconds: days(draft.durationDays, 'The approval window'),
      };
    case 'set-max-suspension':
      return {
        kind: 'set-max-suspension',
        seconds: days(draft.durationDays, 'The longest suspension'),
      };
    case 'set-guardian':
      return { kind: 'set-guardian', guardian: address(draft.account, 'The guardian') };
    case 'set-guardian-term': {
      const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(draft.termEnd.trim());
      const termEnd = date ? Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!) / 1000 : NaN;
      if (!Number.isFinite(termEnd))
        throw new DraftError('The term’s end must be a date, such as 2027-06-30.');
      if (termEnd <= context.now)
        throw new DraftError('The term’s end must be after today on the chain.');
      if (termEnd > MAX_UINT48) throw new DraftError('The term’s end is too far away.');
      return { kind: 'set-guardian-term', termEnd };
    }
    case 'deprecate-model':
      return { kind: 'deprecate-model', modelId: hex32(draft.modelId, 'The model') };
    case 'revoke-model':
      if (!draft.reason.trim()) throw new DraftError('Say why the version is revoked.');
      return {
        kind: 'revoke-model',
        modelId: hex32(draft.modelId, 'The model'),
        reason: draft.reason.trim(),
      };
    case 'set-policy': {
      if (draft.rules.length === 0 || draft.rules.length > 16)
        throw new DraftError('A policy has 1 to 16 rules.');
      return {
        kind: 'set-policy',
        policyName: shortName(draft.policyName, 'The policy name'),
        rules: draft.rules.map((rule, i) => {
          let threshold: bigint;
          try {
            threshold = parseWad(rule.threshold);
          } catch {
            throw new DraftError(
              `${ruleLabel(i)}: the threshold must be a decimal number, such as 0.9.`,
            );
          }
          return {
            suiteId: hex32(rule.suiteId, `${ruleLabel(i)}: the suite`),
            metric: shortName(rule.metric, `${ruleLabel(i)}: the metric`),
            comparator: rule.comparator,
            threshold,
          };
        }),
        minEvaluators: wholeNumber(draft.minEvaluators, 'Evaluators per rule', 1, 255),
        maxEvidenceAge:
          wholeNumber(draft.maxEvidenceAgeDays, 'Maximum evidence age', 1, 3650) * 86400,
        uri: draft.uri.trim(),
      };
    }
    case 'admit-evaluator':
      return {
        kind: 'admit-evaluator',
        evaluator: address(draft.evaluator, 'The evaluator'),
        name: required(draft.evaluatorName, 'The evaluator’s name'),
      };
    case 'remove-evaluator':
      return { kind: 'remove-evaluator', evaluator: address(draft.evaluator, 'The evaluator') };
    case 'register-suite': {
      const metrics = draft.metrics
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean);
      if (metrics.length === 0 || metrics.length > 32)
        throw new DraftError('A suite has 1 to 32 metrics.');
      metrics.forEach((m) => shortName(m, `Metric ${m}`));
      return {
        kind: 'register-suite',
        suiteId: hex32(draft.suiteId, 'The suite id'),
        datasetDigest: hex32(draft.datasetDigest, 'The dataset digest'),
        metrics,
        uri: draft.uri.trim(),
      };
    }
    case 'resolve-dispute':
      if (!/^[1-9]\d{0,77}$/.test(draft.disputeId.trim()))
        throw new DraftError('Choose a dispute (its number, from 1).');
      return {
        kind: 'resolve-dispute',
        disputeId: BigInt(draft.disputeId.trim()),
        upheld: draft.upheld === 'uphold',
      };
    case 'set-game-parameters':
      return { kind: 'set-game-parameters', parameters: gameParameters(draft.game) };
    case 'set-resolver':
      return { kind: 'set-resolver', resolver: address(draft.account, 'The resolver') };
    case 'raw': {
      if (!/^0x([0-9a-fA-F]{2})*$/.test(draft.calldata.trim()))
        throw new DraftError('Calldata must be 0x and whole bytes of hex.');
      if (!/^\d+$/.test(draft.value.trim()))
        throw new DraftError('The value is a whole number of wei.');
      return {
        kind: 'raw',
        target: address(draft.target, 'The target'),
        value: BigInt(draft.value.trim()),
        calldata: draft.calldata.trim() as `0x${string}`,
      };
    }
  }
}

export interface Names {
  models: Model[];
  policies: PolicySummary[];
  evaluators: Evaluator[];
  suites: { id: string; name: string }[];
}

/** What the action does, in words, the way the proposal page will show it. */
export function describe(input: ActionInput, names: Names): string {
  const model = (id: string) => {
    const m = names.models.find((x) => x.id === id);
    return m ? `${m.family} ${m.version}` : shortHex(id);
  };
  const suite = (id: string) => names.suites.find((s) => s.id === id)?.name ?? shortHex(id);
  const policy = (id: string) => names.policies.find((p) => p.id === id)?.name ?? bytes32ToText(id);
  switch (input.kind) {
    case 'approve-model': {
      const replaces =
        input.expectedCurrent === ZERO_HASH
          ? 'the family has no current version'
          : `replacing ${model(input.expectedCurrent)} as the family's current version`;
      return `Approve ${model(input.modelId)} under policy ${policy(input.policyId)} version ${input.policyVersion} (the family's), ${replaces}; it can execute until ${formatDate(input.expiresAt)}`;
    }
    case 'set-family-policy':
      return `Govern family ${input.family} by policy ${policy(input.policyId)}`;
    case 'set-maintainer':
      return `Make ${shortHex(input.maintainer)} the maintainer of family ${input.family}`;
    case 'lift-suspension':
      return `Lift the suspension of ${model(input.modelId)}`;
    case 'set-approval-window':
      return `Let an approval execute during the last ${formatDuration(input.seconds)} before its expiry`;
    case 'set-max-suspension':
      return `Let a suspension last at most ${formatDuration(input.seconds)}`;
    case 'set-guardian':
      return /^0x0{40}$/.test(input.guardian)
        ? 'Remove the guardian: nobody can cancel proposals or suspend versions'
        : `Make ${shortHex(input.guardian)} the guardian (security council)`;
    case 'set-guardian-term':
      return `Let the guardian act until ${formatDate(input.termEnd)}`;
    case 'deprecate-model':
      return `Deprecate ${model(input.modelId)}`;
    case 'revoke-model':
      return `Revoke ${model(input.modelId)}: ${input.reason}`;
    case 'set-policy':
      return `Set policy ${input.policyName}: ${input.rules
        .map(
          (r) =>
            `${suite(r.suiteId)} ${r.metric} ${comparatorSymbol[r.comparator]} ${formatMetric(r.threshold)}`,
        )
        .join(
          '; ',
        )} — ${input.minEvaluators} evaluator(s) each, evidence at most ${formatDuration(input.maxEvidenceAge)} old`;
    case 'admit-evaluator':
      return `Admit ${input.name} (${shortHex(input.evaluator)}) as an evaluator`;
    case 'remove-evaluator': {
      const e = names.evaluators.find(
        (x) => x.address.toLowerCase() === input.evaluator.toLowerCase(),
      );
      return `Remove evaluator ${e?.name ?? shortHex(input.evaluator)}`;
    }
    case 'register-suite':
      return `Register suite ${shortHex(input.suiteId)} with metrics ${input.metrics.join(', ')}`;
    case 'resolve-dispute':
      return input.upheld
        ? `Uphold dispute #${input.disputeId}: strike the result and slash its evaluator's stake`
        : `Reject dispute #${input.disputeId}: the result stands and the disputer's bond goes to the evaluator`;
    case 'set-game-parameters': {
      const g = input.parameters;
      return `Set the evidence game: results count ${formatDuration(g.challengePeriod)} after they are posted; evaluators bond at least ${formatEth(g.minBond)}; a dispute carries ${formatEth(g.disputeBond)}; unbonding takes ${formatDuration(g.unbondingDelay)}; an unresolved dispute is rejected after ${formatDuration(g.resolutionTimeout)}; the disputer gets ${g.disputerShareBps / 100}% of a slashed stake`;
    }
    case 'set-resolver':
      return /^0x0{40}$/.test(input.resolver)
        ? 'Remove the dispute resolver: only governance resolves disputes'
        : `Make ${shortHex(input.resolver)} the dispute resolver`;
    case 'raw':
      return `Call ${shortHex(input.target)} with ${(input.calldata.length - 2) / 2} bytes of calldata${input.value ? ` and ${input.value} wei` : ''}`;
  }
}
