// Prints the gas table of BENCHMARKS.md from forge's snapshots: each hot path against its target and,
// for the governor, against the plain OpenZeppelin governor measured in the same test run.
import { readFileSync } from 'node:fs';

const snapshots = new URL('../../snapshots/', import.meta.url);
const read = (group: string) =>
  JSON.parse(readFileSync(new URL(`${group}.json`, snapshots), 'utf8')) as Record<string, string>;
const plain = read('PlainGovernor');
const stock = read('StockLateQuorumGovernor');
const charter = read('CharterGovernor');
const registries = read('Registries');

const ratio = (ours: string, base: string) => {
  const change = (Number(ours) / Number(base) - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
};

const governorRows: [string, string, number][] = [
  ['propose (one action)', 'propose', 5],
  ['castVote, first vote on the proposal', 'castVote_first', 30],
  ['castVote, before quorum', 'castVote_beforeQuorum', 5],
  ['castVoteWithReason, before quorum', 'castVoteWithReason_beforeQuorum', 5],
  ['castVote, reaching quorum', 'castVote_reachingQuorum', 5],
  ['castVote, after quorum', 'castVote_afterQuorum', 5],
  ['castVoteWithReason, after quorum', 'castVoteWithReason_afterQuorum', 5],
];
const lines = [
  '| Operation | Target vs plain | Plain OZ | Stock late quorum | Charter | Charter vs plain | Stock vs plain |',
  '|---|---|---|---|---|---|---|',
];
for (const [label, key, target] of governorRows) {
  const ours = charter[key]!;
  const base = plain[key]!;
  const within = Number(ours) <= Number(base) * (1 + target / 100) ? 'met' : 'MISSED';
  lines.push(
    `| ${label} | ≤ +${target}% (${within}) | ${base} | ${stock[key]} | ${ours} | ${ratio(ours, base)} | ${ratio(stock[key]!, base)} |`,
  );
}

const approveBeyondTimelock =
  Number(registries['timelockExecute_approve_3rules_2evaluators']) -
  Number(registries['timelockExecute_noop']);
const late = (key: string) => charter[`castVote_lateWindow_${key}`];
lines.push(
  '',
  '| Operation | Target | Measured |',
  '|---|---|---|',
  `| submitResult, 4 metrics, first result | ≤ 150,000 | ${registries['submitResult_4metrics']} |`,
  `| submitResult, 4 metrics, superseding | — | ${registries['submitResult_4metrics_supersede']} |`,
  `| approve, 3 rules, 2 evaluators required, beyond the timelock's own cost | ≤ 120,000 | ${approveBeyondTimelock} |`,
  `| dispute one sample, Merkle proof of depth 12 (4,096 samples) | ≤ 200,000 | ${registries['dispute_depth12']} |`,
  `| bond, an evaluator's first | — | ${registries['bond_first']} |`,
  `| resolveDispute, upheld (strike, slash, credit) | — | ${registries['resolveDispute_upheld']} |`,
  `| withdrawCredit | — | ${registries['withdrawCredit']} |`,
  `| register a model version | — | ${registries['register']} |`,
  `| castVote inside the late-quorum window: before / reaching / after quorum | — | ${late('beforeQuorum')} / ${late('reachingQuorum')} / ${late('afterQuorum')} |`,
);
console.log(lines.join('\n'));
