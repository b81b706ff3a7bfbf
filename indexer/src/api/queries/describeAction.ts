import {
  bytes32ToShortName,
  formatDuration,
  formatEth,
  formatWad,
  shortHex,
} from '@charter/contracts/protocol';

/** What an action's words need to know about the things it names. */
export interface Names {
  models: Map<string, { family: string; version: string }>;
  policies: Map<string, { name: string; currentVersion: number }>;
  evaluators: Map<string, string>;
  /** Disputes by id (decimal): whose result, of which model, and the sample named. */
  disputes?: Map<string, { evaluator: string; model: string; sampleId: string }>;
  tokenSymbol: string;
}

export interface DescribableAction {
  target: string;
  targetName: string | null;
  value: bigint;
  calldata: string;
  signature: string | null;
  args: unknown[] | null;
}

/**
 * An action in words: "approve mail-guard v2 under policy mail-safety v1, replacing mail-guard v1,
 * executable until 2026-12-30 14:00 UTC".
 */
export function describeAction(action: DescribableAction, names: Names): string {
  const args = action.args ?? [];
  const fn = action.signature?.slice(0, action.signature.indexOf('('));
  const model = (id: unknown) => {
    const found = names.models.get(String(id));
    return found ? `${found.family} ${found.version}` : `model ${shortHex(String(id))}`;
  };
  const policy = (id: unknown) => {
    const found = names.policies.get(String(id));
    return found ? found.name : `policy ${shortHex(String(id))}`;
  };
  const evaluator = (address: unknown) => {
    const name = names.evaluators.get(String(address));
    return name ? `${name} (${address})` : String(address);
  };
  const seconds = (value: unknown) => formatDuration(BigInt(String(value)));
  const tokens = (value: unknown) => `${formatWad(String(value), 2)} ${names.tokenSymbol}`;

  switch (`${action.targetName}.${fn}`) {
    case 'modelRegistry.approve': {
      // approve(modelId, policyId, policyVersion, expectedCurrent, expiresAt)
      const replaces = /^0x0+$/.test(String(args[3]))
        ? 'with no current version to replace'
        : `replacing ${model(args[3])}`;
      return (
        `approve ${model(args[0])} under policy ${policy(args[1])} v${args[2]}, ${replaces}, ` +
        `executable until ${utc(args[4])}`
      );
    }
    case 'modelRegistry.setFamilyPolicy':
      return `govern the family ${args[0]} by policy ${policy(args[1])}`;
    case 'modelRegistry.setMaintainer':
      return `make ${args[1]} the maintainer of the family ${args[0]}`;
    case 'modelRegistry.suspend':
      return `suspend ${model(args[0])}${args[1] ? `: ${args[1]}` : ''}`;
    case 'modelRegistry.liftSuspension':
      return `lift the suspension of ${model(args[0])}`;
    case 'modelRegistry.endLapsedSuspension':
      return `end the lapsed suspension of ${model(args[0])}`;
    case 'modelRegistry.setApprovalWindow':
      return `let approvals execute in the last ${seconds(args[0])} before they expire`;
    case 'modelRegistry.setMaxSuspension':
      return `limit suspensions to ${seconds(args[0])}`;
    case 'modelRegistry.deprecate':
      return `deprecate ${model(args[0])}`;
    case 'modelRegistry.revoke':
      return `revoke ${model(args[0])}${args[1] ? `: ${args[1]}` : ''}`;
    case 'policyRegistry.setPolicy': {
      const rules = (args[1] as { metricId: string }[] | undefined)?.length ?? 0;
      const existing = names.policies.get(String(args[0]));
      const name = existing?.name ?? policyName(String(args[0]));
      return (
        `set policy ${name}: ${rules} rule${rules === 1 ? '' : 's'}, ` +
        `at least ${args[2]} evaluator${Number(args[2]) === 1 ? '' : 's'}, ` +
        `evidence at most ${seconds(args[3])} old`
      );
    }
    case 'evidenceRegistry.admitEvaluator':
      return `admit evaluator ${args[1]} (${args[0]})`;
    case 'evidenceRegistry.removeEvaluator':
      return `remove evaluator ${evaluator(args[0])}`;
    case 'evidenceRegistry.registerSuite': {
      const metrics = (args[2] as string[] | undefined)?.map(policyName).join(', ');
      return `register suite ${shortHex(String(args[0]))} (${metrics})`;
    }
    case 'evidenceRegistry.resolveDispute': {
      // resolveDispute(disputeId, upheld)
      const dispute = names.disputes?.get(String(args[0]));
      const what = dispute
        ? ` against ${dispute.evaluator}'s result for ${dispute.model} (sample "${dispute.sampleId}")`
        : '';
      const verdict = args[1] ? 'uphold' : 'reject';
      return `${verdict} dispute #${args[0]}${what}`;
    }
    case 'evidenceRegistry.setGameParameters': {
      const game = (args[0] ?? {}) as Record<string, unknown>;
      const share = Number(game.disputerShareBps) / 100;
      return (
        `set the evidence game: results count ${seconds(game.challengePeriod)} after they are posted, ` +
        `evaluators bond at least ${formatEth(String(game.minBond))}, ` +
        `a dispute carries ${formatEth(String(game.disputeBond))}, ` +
        `unbonding takes ${seconds(game.unbondingDelay)}, ` +
        `unresolved disputes are rejected after ${seconds(game.resolutionTimeout)}, ` +
        `and a disputer proven right gets ${share}% of the slashed stake`
      );
    }
    case 'evidenceRegistry.setResolver':
      return /^0x0+$/.test(String(args[0]))
        ? 'leave disputes to governance alone (no resolver)'
        : `let ${args[0]} resolve disputes`;
    case 'governor.setVotingDelay':
      return `set the voting delay to ${seconds(args[0])}`;
    case 'governor.setVotingPeriod':
      return `set the voting period to ${seconds(args[0])}`;
    case 'governor.setProposalThreshold':
      return `set the proposal threshold to ${tokens(args[0])}`;
    case 'governor.updateQuorumNumerator':
      return `set the quorum to ${args[0]}% of the supply`;
    case 'governor.setLateQuorumVoteExtension':
      return `set the late-quorum extension to ${seconds(args[0])}`;
    case 'governor.setProposalGuardian':
      return /^0x0+$/.test(String(args[0]))
        ? 'remove the proposal guardian'
        : `set the proposal guardian to ${args[0]}`;
    case 'governor.setGuardianTerm':
      return `end the proposal guardian's term at ${utc(args[0])}`;
    case 'governor.updateTimelock':
      return `move governance to the timelock ${args[0]}`;
    case 'timelock.updateDelay':
      return `set the timelock delay to ${seconds(args[0])}`;
    case 'token.transfer':
      return `transfer ${tokens(args[1])} to ${args[0]}`;
  }
  if (action.signature) {
    return `call ${action.targetName ?? action.target}.${action.signature}`;
  }
  if (action.calldata === '0x') return `send ${formatWad(action.value)} ETH to ${action.target}`;
  return `call ${action.target} with ${action.calldata.slice(0, 10)}`;
}

/** A unix time as people read it: "2026-12-30 14:00 UTC". */
const utc = (unix: unknown): string => {
  const date = new Date(Number(unix) * 1000);
  return Number.isNaN(date.getTime())
    ? `time ${String(unix)}`
    : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

/** A bytes32 short name as text; shortened hex when it is not one. */
const policyName = (id: string): string => bytes32ToShortName(id) ?? shortHex(id);
