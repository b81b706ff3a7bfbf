import { postedResultStatuses } from '@charter/contracts/protocol';

import { indexer, read } from './indexer';
import { evaluatorNames, suiteLabel } from './names';
import { address, cursor, hex32, pick } from './params';

/** Results filtered by model, suite, evaluator and status, a page at a time. */
export async function resultList(search: URLSearchParams) {
  const filters = {
    model: hex32(search.get('model')),
    suite: hex32(search.get('suite')),
    evaluator: address(search.get('evaluator')),
    status: pick(search.get('status'), postedResultStatuses),
  };
  const [page, evaluators, suites] = await Promise.all([
    read(indexer.results.list({ ...filters, cursor: cursor(search.get('cursor')), limit: 50 })),
    read(indexer.evaluators.list()),
    read(indexer.suites.list()),
  ]);
  return {
    filters,
    page,
    evaluators,
    suites: suites.map((s) => ({ id: s.id, name: suiteLabel(s) })),
  };
}

/** One result with its model and suite. */
export async function resultPage(id: string) {
  const result = await read(indexer.results.get(id));
  const [model, suites, evaluators] = await Promise.all([
    read(indexer.models.get(result.modelId)).catch(() => null),
    read(indexer.suites.list()),
    evaluatorNames(),
  ]);
  const suite = suites.find((s) => s.id === result.suiteId);
  return { result, model, suite: suite ? { ...suite, name: suiteLabel(suite) } : null, evaluators };
}

/** What the submit form checks an uploaded report against. */
export async function submitOptions() {
  const [suites, evaluators] = await Promise.all([
    read(indexer.suites.list()),
    read(indexer.evaluators.list()),
  ]);
  return {
    suites: suites.map((s) => ({ id: s.id, metrics: s.metrics, name: suiteLabel(s) })),
    evaluators: evaluators.filter((e) => e.admitted),
  };
}
