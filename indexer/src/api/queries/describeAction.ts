import {
  bytes32ToShortName,
  formatDuration,
  formatWad,
  shortHex,
} from '@charter/contracts/protocol';

/** What an action's words need to know about the things it names. */
export interface Names {
  models: Map<string, { family: string; version: string }>;
  policies: Map<string, { name: string; currentVersion: number }>;
  evaluators: Map<string, string>;
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

/** An action in words: "approve mail-guard v2 under policy mail-safety v1". */
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
      const found = names.policies.get(String(args[1]));
      const version = found ? ` v${found.currentVersion}` : '';
      return `approve ${model(args[0])} under policy ${policy(args[1])}${version}`;
    }
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
    case 'evidenceRegistry.resolveDispute':
      return `${args[1] ? 'uphold' : 'reject'} the dispute of result ${shortHex(String(args[0]))}`;
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
      return `set the proposal guardian to ${args[0]}`;
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

/** A bytes32 short name as text; shortened hex when it is not one. */
const policyName = (id: string): string => bytes32ToShortName(id) ?? shortHex(id);
