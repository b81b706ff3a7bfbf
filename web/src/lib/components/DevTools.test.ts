// @vitest-environment happy-dom
import { defaultDevAccount, devAccountNames } from '@charter/contracts/dev-accounts';
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import type { Governance } from '$lib/indexer';
import DevTools from './DevTools.svelte';

afterEach(cleanup);

const accounts = devAccountNames.map((name, index) => ({
  index,
  name,
  address: `0x${String(index).repeat(40)}` as `0x${string}`,
  privateKey: `0x${String(index).repeat(64)}` as `0x${string}`,
}));
const governance = {
  votingDelay: 60,
  votingPeriod: 3600,
  timelockDelay: 120,
  gameParameters: { challengePeriod: 120 },
} as Governance;

describe('DevTools', () => {
  it('names dev accounts as npm start does, and starts on a token holder', () => {
    render(DevTools, { accounts, now: 0, governance });
    const picker = screen.getByLabelText<HTMLSelectElement>('Dev account');
    const options = [...picker.options].map((o) => o.textContent?.split(' · ')[0]);
    expect(options).toEqual([...devAccountNames]);
    expect(picker.value).toBe(String(defaultDevAccount));
    expect(picker.selectedOptions[0]?.textContent).toMatch(/^alice · 0x1111…1111$/);
    expect(screen.queryByText(/Dev account \d/)).toBeNull();
  });

  it('offers to advance past a challenge window', () => {
    render(DevTools, { accounts, now: 0, governance });
    const presets = screen.getByLabelText<HTMLSelectElement>('Advance time by');
    const option = [...presets.options].find((o) => o.textContent === 'Challenge period (2 min)');
    expect(option?.value).toBe('121');
  });
});
