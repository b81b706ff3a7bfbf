import type { ActionKind, ModelStatus, ProposalState, ResultStatus } from '../client/types';

// The values the API accepts for its enumerated parameters: one list for validation and the OpenAPI document.
export const proposalStates: readonly ProposalState[] = [
  'pending',
  'active',
  'canceled',
  'defeated',
  'succeeded',
  'queued',
  'expired',
  'executed',
];
export const actionKinds: readonly ActionKind[] = [
  'approve-model',
  'deprecate-model',
  'revoke-model',
  'set-policy',
  'admit-evaluator',
  'remove-evaluator',
  'register-suite',
  'resolve-dispute',
  'governance',
  'other',
];
export const modelStatuses: readonly ModelStatus[] = [
  'candidate',
  'approved',
  'deprecated',
  'revoked',
];
export const resultStatuses: readonly ResultStatus[] = ['valid', 'disputed', 'struck'];
