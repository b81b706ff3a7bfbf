import { describe, expect, it } from 'vitest';

import type { BondHistoryEntry } from '$lib/indexer';
import { bondSeries } from './evaluatorPage';

const ETH = '1000000000000000000';
const entry = (
  at: number,
  block: number,
  change: BondHistoryEntry['change'],
  bonded: string,
): BondHistoryEntry => ({
  change,
  amount: ETH,
  bonded,
  unbonding: '0',
  unbondingReadyAt: null,
  disputeId: null,
  at,
  block,
  tx: `0x${String(block).padStart(64, '0')}`,
});

describe('bondSeries', () => {
  it('draws each change as a step, one per time (the last change winning), up to the indexed block', () => {
    // Newest first, as the API lists them; two changes in one block.
    const history = [entry(300, 3, 'slashed', '0'), entry(100, 1, 'bonded', ETH)];
    const [bonded] = bondSeries(history, 500, { bonded: '0', unbonding: '0' })!;
    expect(bonded!.points).toEqual([
      { x: 100, y: 1 },
      { x: 299, y: 1 },
      { x: 300, y: 0 },
      { x: 499, y: 0 },
      { x: 500, y: 0 },
    ]);
    const same = bondSeries([entry(300, 3, 'slashed', '0'), entry(300, 3, 'bonded', ETH)], 300, {
      bonded: '0',
      unbonding: '0',
    })!;
    expect(same[0]!.points).toEqual([{ x: 300, y: 0 }]);
    expect(bondSeries([], 300, { bonded: '0', unbonding: '0' })).toBeNull();
  });
});
