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
 * The stake over time, for the chart: bonded and unbonding (in ETH) after each change, oldest first, one
 * change per time (the chart keys points by time: the last change at a time wins), drawn as steps, and once
 * more at the indexed block so the lines reach today.
 */
export function bondSeries(
  history: BondHistoryEntry[],
  now: number,
  stake: { bonded: string; unbonding: string },
) {
  if (history.length === 0) return null;
  const atTime = new Map<number, { bonded: string; unbonding: string }>();
  // The API lists changes newest first (within a block too): reversed, the last one at a time wins.
  for (const change of history.toReversed()) atTime.set(change.at, change);
  if (![...atTime.keys()].some((at) => at >= now)) atTime.set(now, stake);
  // A stake holds until it changes: each change is drawn as a step, from the value before it a second earlier.
  const points = (field: 'bonded' | 'unbonding') =>
    [...atTime].flatMap(([x, state], i, all) => {
      const previous = all[i - 1];
      const point = { x, y: wadToNumber(state[field]) };
      return previous && previous[0] < x - 1
        ? [{ x: x - 1, y: wadToNumber(previous[1][field]) }, point]
        : [point];
    });
  return [
    { name: 'Bonded', style: 0, points: points('bonded') },
    { name: 'Unbonding', style: 1, points: points('unbonding') },
  ];
}
