import { ProposalState } from '@charter/contracts/protocol';

// The API's own enumerations (the protocol's are @charter/contracts/protocol's): declared once, for the
// types, the OpenAPI document and the code that writes them.

/** What a `change` event on the stream names. */
export const changeKinds = [
  'proposal',
  'vote',
  'delegate',
  'model',
  'policy',
  'suite',
  'evaluator',
  'result',
] as const;

/** What a proposal's timeline records; the last three are the states those transactions set. */
export const timelineEvents = [
  'created',
  'voting-opened',
  'extended',
  'voting-closed',
  ProposalState.queued,
  ProposalState.executed,
  ProposalState.canceled,
] as const;
