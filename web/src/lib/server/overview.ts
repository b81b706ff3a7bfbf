import { isSuspended } from '@charter/contracts/protocol';

import { indexer, read } from './indexer';
import { evaluatorNames, suiteNames } from './names';

/** The front page: what is being voted on now, what is approved, the latest evidence, and turnout. */
export async function overview() {
  const [active, recent, families, results, evaluators, suites, closed, models] = await Promise.all(
    [
      read(indexer.proposals.list({ state: 'active', sort: 'ending', limit: 10 })),
      read(indexer.proposals.list({ limit: 5 })),
      read(indexer.families.list()),
      read(indexer.results.list({ limit: 6 })),
      evaluatorNames(),
      suiteNames(),
      read(
        indexer.proposals.list({
          state: ['succeeded', 'defeated', 'queued', 'executed', 'expired'],
          limit: 10,
        }),
      ),
      read(indexer.models.list({ limit: 200 })),
    ],
  );
  return {
    active: active.items,
    recent: recent.items,
    families,
    results: results.items,
    evaluators,
    suites,
    /** The last ten closed proposals, for turnout. */
    closed: closed.items,
    modelNames: Object.fromEntries(models.items.map((m) => [m.id, `${m.family} ${m.version}`])),
    suspended: models.items.filter((m) => isSuspended(m.status)),
  };
}
