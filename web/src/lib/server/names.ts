import type { Evaluator, Suite } from '$lib/indexer';
import { indexer, read } from './indexer';

/** Evaluator names by lowercase address. */
export async function evaluatorNames(): Promise<Record<string, string>> {
  const evaluators: Evaluator[] = await read(indexer.evaluators.list());
  return Object.fromEntries(evaluators.map((e) => [e.address.toLowerCase(), e.name]));
}

/** A suite's name as people know it: the last part of its URI, or its id. */
export function suiteLabel(suite: Pick<Suite, 'id' | 'uri'>): string {
  const last = suite.uri
    .split(/[/#?]/)
    .filter(Boolean)
    .pop()
    ?.replace(/\.json$/, '');
  return last || `${suite.id.slice(0, 10)}…`;
}

/** Suite names by id. */
export async function suiteNames(): Promise<Record<string, string>> {
  const suites = await read(indexer.suites.list());
  return Object.fromEntries(suites.map((s) => [s.id, suiteLabel(s)]));
}
