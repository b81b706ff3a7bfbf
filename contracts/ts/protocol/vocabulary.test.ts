import { expect, it } from 'vitest';

import {
  charterGovernorAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
} from '../generated/abis';
import {
  isApprovable,
  isDeprecatable,
  isRevocable,
  isSuspendable,
  isSuspended,
  modelStatusAfter,
  modelStatuses,
  proposalKindOf,
  proposalKinds,
  proposalKindsByCall,
} from './vocabulary';

// The lookups against the contracts they describe: a renamed function or event fails here, not in a page.

const abisByContract: Record<string, readonly { type: string; name?: string }[]> = {
  modelRegistry: modelRegistryAbi,
  policyRegistry: policyRegistryAbi,
  evidenceRegistry: evidenceRegistryAbi,
  governor: charterGovernorAbi,
};
const has = (contract: string, type: 'function' | 'event', name: string) =>
  abisByContract[contract]!.some((item) => item.type === type && item.name === name);

it('names proposal kinds after functions the contracts have, each kind once', () => {
  const named = Object.entries(proposalKindsByCall).flatMap(([contract, calls]) =>
    Object.entries(calls).map(([functionName, kind]) => {
      expect(has(contract, 'function', functionName), `${contract}.${functionName}`).toBe(true);
      expect(proposalKindOf(contract, functionName)).toBe(kind);
      return kind;
    }),
  );
  expect(named.toSorted()).toEqual(
    proposalKinds.filter((kind) => kind !== 'governance' && kind !== 'other').toSorted(),
  );
});

it('calls the new governance functions by their kinds, and other governor calls governance', () => {
  expect(proposalKindOf('modelRegistry', 'setFamilyPolicy')).toBe('set-family-policy');
  expect(proposalKindOf('modelRegistry', 'liftSuspension')).toBe('lift-suspension');
  expect(proposalKindOf('governor', 'setGuardianTerm')).toBe('set-guardian-term');
  expect(proposalKindOf('governor', 'setProposalGuardian')).toBe('set-guardian');
  expect(proposalKindOf('governor', 'setVotingDelay')).toBe('governance');
  expect(proposalKindOf('modelRegistry', 'suspend')).toBe('other');
});

it('knows the status each model event leaves, for events the registry emits', () => {
  for (const event of Object.keys(modelStatusAfter)) {
    expect(has('modelRegistry', 'event', event), event).toBe(true);
  }
  expect(modelStatusAfter.ModelSuspended).toBe('suspended');
  expect(modelStatusAfter.SuspensionEnded).toBe('approved');
});

it('allows the transitions of the registry’s table, and no others', () => {
  // ModelRegistry.Status, appended to, never reordered: the contract returns these numbers.
  expect(modelStatuses).toEqual([
    'unknown',
    'candidate',
    'approved',
    'deprecated',
    'revoked',
    'suspended',
  ]);
  const allowed = (test: (status: (typeof modelStatuses)[number]) => boolean) =>
    modelStatuses.filter(test);
  expect(allowed(isApprovable)).toEqual(['candidate', 'deprecated']);
  expect(allowed(isDeprecatable)).toEqual(['approved', 'suspended']);
  expect(allowed(isSuspendable)).toEqual(['approved']);
  expect(allowed(isSuspended)).toEqual(['suspended']);
  expect(allowed(isRevocable)).toEqual(['candidate', 'approved', 'deprecated', 'suspended']);
});
