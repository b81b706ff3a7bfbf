import { indexer, read } from './indexer';
import { suiteLabel } from './names';

/** What the guided proposal forms offer to pick from. */
export async function proposalFormOptions() {
  const [models, policies, suites, evaluators, disputed, families] = await Promise.all([
    read(indexer.models.list({ limit: 200 })),
    read(indexer.policies.list()),
    read(indexer.suites.list()),
    read(indexer.evaluators.list()),
    read(indexer.disputes.list({ status: 'open', limit: 200 })),
    read(indexer.families.list()),
  ]);
  return {
    models: models.items,
    policies,
    suites: suites.map((s) => ({ ...s, name: suiteLabel(s) })),
    evaluators,
    openDisputes: disputed.items,
    families,
  };
}
