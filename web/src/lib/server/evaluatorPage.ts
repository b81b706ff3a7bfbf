import { wadToNumber } from '@charter/contracts/protocol';
import { error } from '@sveltejs/kit';

import type { BondHistoryEntry } from '$lib/indexer';
import { indexer, read } from './indexer';
import { evaluatorNames } from './names';
import { address } from './params';

/** One evaluator: its stake, how the stake moved, the disputes against it, and its names for the cards. */
export async function evaluatorPage(account: string) {
  const evaluator = address(account);
  if (!evaluator) error(404, 'No such evaluator');
  const [detail, names] = await Promise.all([
    read(indexer.evaluators.get(evaluator)),
    evaluatorNames(),
  ]);
  return {
    indexedBlock: detail.indexedBlock,
    evaluator: detail,
    names,
    bondChart: bondSeries(detail.bondHistory, detail.indexedTimestamp, detail.stake),
  };
}

/**
 * The stake over time, for the chart: bonded and unbonding (in ETH) after each change, oldest first, and
 * once more at the indexed block so the lines reach today.
 */
function bondSeries(
  history: BondHistoryEntry[],
  now: number,
  stake: { bonded: string; unbonding: string },
) {
  const changes = history.toSorted((a, b) => a.block - b.block || a.at - b.at);
  if (changes.length === 0) return null;
  const points = (field: 'bonded' | 'unbonding') => [
    ...changes.map((c) => ({ x: c.at, y: wadToNumber(c[field]) })),
    { x: now, y: wadToNumber(stake[field]) },
  ];
  return [
    { name: 'Bonded', style: 0, points: points('bonded') },
    { name: 'Unbonding', style: 1, points: points('unbonding') },
  ];
}
