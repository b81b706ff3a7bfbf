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
  type Comparator,
  type ProposalKind,
} from '@charter/contracts/protocol';

import { comparatorSymbol } from '$lib/format';
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
  'resolve-dispute': 'Resolve a disputed result',
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
  resultId: string;
  upheld: 'uphold' | 'reject';
  target: string;
  value: string;
  calldata: string;
}

export function emptyDraft(kind: DraftKind = 'approve-model', modelId = ''): Draft {
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
    resultId: '',
    upheld: 'reject',
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

/** The action the draft describes, checked; throws a DraftError that says what to fix. */
export function toInput(draft: Draft): ActionInput {
  switch (draft.kind) {
    case 'approve-model':
      return {
        kind: 'approve-model',
        modelId: hex32(draft.modelId, 'The model'),
        policyId: hex32(draft.policyId, 'The policy'),
      };
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
      return {
        kind: 'resolve-dispute',
        // Result ids in the indexer are "<registry resultId>:<report digest>".
        resultId: hex32(draft.resultId.split(':')[0] ?? '', 'The result'),
        upheld: draft.upheld === 'uphold',
      };
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
  switch (input.kind) {
    case 'approve-model': {
      const policy = names.policies.find((p) => p.id === input.policyId);
      return `Approve ${model(input.modelId)} under policy ${policy?.name ?? bytes32ToText(input.policyId)}${policy ? ` v${policy.currentVersion}` : ''}`;
    }
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
      return `${input.upheld ? 'Uphold' : 'Reject'} the dispute of result ${shortHex(input.resultId)}`;
    case 'raw':
      return `Call ${shortHex(input.target)} with ${(input.calldata.length - 2) / 2} bytes of calldata${input.value ? ` and ${input.value} wei` : ''}`;
  }
}
