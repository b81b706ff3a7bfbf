// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import type { Approval } from '$lib/indexer';
import ApprovalTerms from './ApprovalTerms.svelte';

const now = Date.UTC(2026, 10, 30, 12) / 1000;
const DAY = 86400;
const approval: Approval = {
  modelId: `0x${'12'.repeat(32)}`,
  family: 'mail-guard',
  version: 'v3',
  policyId: `0x${'34'.repeat(32)}`,
  policyName: 'mail-safety',
  policyVersion: 2,
  expectedCurrent: `0x${'56'.repeat(32)}`,
  expectedCurrentVersion: 'v2',
  expiresAt: now + 20 * DAY,
  opensAt: now - 10 * DAY,
  window: 'open',
  familyPolicyId: `0x${'34'.repeat(32)}`,
  familyPolicyName: 'mail-safety',
  activePolicyVersion: 2,
  currentModelId: `0x${'56'.repeat(32)}`,
  currentVersion: 'v2',
  policyMatches: true,
  policyVersionMatches: true,
  currentMatches: true,
  blockers: [],
  canExecute: true,
};

afterEach(cleanup);

describe('an approval proposal’s pins, in words', () => {
  it('names the family, the policy and version, the version it replaces, and the window', () => {
    render(ApprovalTerms, { approval, state: 'active', now });
    const terms = screen.getByTestId('approval-terms');
    expect(terms.textContent?.replace(/\s+/g, ' ')).toContain(
      "Approves mail-guard v3 under policy mail-safety version 2, the policy that governs the family. It replaces v2 as the family's current version.",
    );
    expect(terms.textContent?.replace(/\s+/g, ' ')).toContain(
      'can execute from 2026-11-20 12:00 UTC until 2026-12-20 12:00 UTC (expires in 20 d).',
    );
    expect(screen.queryByTestId('approval-blockers')).toBeNull();
  });

  it('says why it can no longer execute, in the registry’s words', () => {
    render(ApprovalTerms, {
      approval: {
        ...approval,
        policyVersionMatches: false,
        activePolicyVersion: 3,
        window: 'expired',
        expiresAt: now - DAY,
        blockers: [
          {
            check: 'window',
            error: 'ModelRegistryApprovalOutsideWindow',
            message: 'The approval expired on 2026-11-29 12:00 UTC.',
          },
          {
            check: 'policy-version',
            error: 'ModelRegistryPolicyVersionChanged',
            message: 'It was voted under mail-safety version 2; version 3 is active now.',
          },
        ],
        canExecute: false,
      },
      state: 'queued',
      now,
    });
    const blockers = screen.getByTestId('approval-blockers');
    expect(blockers.textContent).toContain('It can no longer execute:');
    expect(blockers.textContent).toContain('The approval expired on 2026-11-29 12:00 UTC.');
    expect(blockers.textContent).toContain('version 3 is active now.');
    expect(blockers.className).toContain('bad');
  });

  it('says it cannot execute yet while its window has not opened, and nothing once executed', () => {
    const early: Approval = {
      ...approval,
      window: 'not-yet-open',
      opensAt: now + DAY,
      blockers: [
        {
          check: 'window',
          error: 'ModelRegistryApprovalOutsideWindow',
          message: 'Opens tomorrow.',
        },
      ],
      canExecute: false,
    };
    render(ApprovalTerms, { approval: early, state: 'queued', now });
    expect(screen.getByTestId('approval-blockers').textContent).toContain('It cannot execute yet:');
    cleanup();
    render(ApprovalTerms, { approval: early, state: 'executed', now });
    expect(screen.queryByTestId('approval-blockers')).toBeNull();
  });

  it('says evidence still in its challenge window is a wait, with its countdown', () => {
    const waiting: Approval = {
      ...approval,
      blockers: [
        {
          check: 'challenge-window',
          error: 'PolicyRegistryEvidenceInChallengeWindow',
          message: 'Rule 2: a result is still in its challenge window.',
          countsFrom: now + 90,
        },
      ],
      canExecute: false,
    };
    render(ApprovalTerms, { approval: waiting, state: 'queued', now });
    const blockers = screen.getByTestId('approval-blockers');
    expect(blockers.textContent).toContain('It cannot execute yet:');
    expect(blockers.textContent).toMatch(/challenge window\.\s*\(in 1 min 30 s\)/);
    expect(blockers.className).toContain('warn');
  });
});
