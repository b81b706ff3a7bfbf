import type { Change, ChangeKind } from '../client/types';
import type { TableInfo } from '../database/tables';

export type { Change, ChangeKind, IndexedBlock } from '../client/types';

type Row = Record<string, unknown>;

/** Which entities a changed row belongs to. Votes announce their proposal's id. */
const entitiesOf: Record<string, (row: Row) => [ChangeKind, unknown][] | [ChangeKind, unknown]> = {
  proposals: (row) => ['proposal', row.id],
  proposal_actions: (row) => ['proposal', row.proposalId ?? row.proposal_id],
  votes: (row) => ['vote', row.proposalId ?? row.proposal_id],
  accounts: (row) => ['delegate', row.address],
  models: (row) => ['model', row.id],
  model_events: (row) => ['model', row.modelId ?? row.model_id],
  // A family's policy, maintainer or current version; the current version's page shows it too.
  families: (row) => {
    const current = row.currentModelId ?? row.current_model_id;
    return current
      ? [
          ['family', row.name],
          ['model', current],
        ]
      : [['family', row.name]];
  },
  policies: (row) => ['policy', row.id],
  policy_versions: (row) => ['policy', row.policyId ?? row.policy_id],
  policy_rules: (row) => ['policy', row.policyId ?? row.policy_id],
  suites: (row) => ['suite', row.id],
  evaluators: (row) => ['evaluator', row.address],
  results: (row) => ['result', row.id],
  // A dispute shows on its result's page and on its evaluator's (open disputes, upheld ones).
  disputes: (row) => [
    ['dispute', row.id],
    ['result', row.result],
    ['evaluator', row.evaluator],
  ],
  bond_events: (row) => ['evaluator', row.evaluator],
  // An account's credit shows on its account page.
  credits: (row) => ['delegate', row.account],
};

/** Changes announced for rows written (in drizzle's property names) or undone (in column names). */
export function changesOf(rows: Map<TableInfo, Row[]> | [string, Row][], block: number): Change[] {
  const pairs: [string, Row][] =
    rows instanceof Map
      ? [...rows].flatMap(([info, list]) => list.map((row): [string, Row] => [info.name, row]))
      : rows;
  const seen = new Map<string, Change>();
  for (const [table, row] of pairs) {
    const found = entitiesOf[table]?.(row);
    if (!found) continue;
    const entities = (Array.isArray(found[0]) ? found : [found]) as [ChangeKind, unknown][];
    for (const [kind, id] of entities) {
      const change: Change = { kind, id: String(id), block };
      seen.set(`${change.kind}:${change.id}`, change);
    }
  }
  return [...seen.values()];
}
