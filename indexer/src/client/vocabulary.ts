import { ProposalState } from '@charter/contracts/protocol';

// The API's own enumerations (the protocol's are @charter/contracts/protocol's): declared once, for the
// types, the OpenAPI document and the code that writes them.

/** What a `change` event on the stream names. */
export const changeKinds = [
  'proposal',
  'vote',
  'delegate',
  'model',
  'family',
  'policy',
  'suite',
  'evaluator',
  'result',
  'dispute',
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

/** How a suspension ended: lifted (by governance or the guardian), or lapsed once its time ran out. */
export const suspensionEnds = ['lifted', 'lapsed'] as const;
export type SuspensionEnd = (typeof suspensionEnds)[number];

/** Where an approval stands against its window: executable only from `opensAt` to `expiresAt`. */
export const approvalWindowStates = ['not-yet-open', 'open', 'expired'] as const;
export type ApprovalWindowState = (typeof approvalWindowStates)[number];

/**
 * What an approval's execution checks besides the evidence, in the registry's order; `challenge-window`
 * is the evidence's own timing: results that will count once their challenge window has passed.
 */
export const approvalChecks = [
  'window',
  'family-policy',
  'policy',
  'policy-version',
  'current-version',
  'challenge-window',
] as const;
export type ApprovalCheck = (typeof approvalChecks)[number];

/** What changed an evaluator's stake: `bond()`, `unbond()` (or removal), `withdrawBond()`, an upheld dispute. */
export const bondChanges = ['bonded', 'unbonding', 'withdrawn', 'slashed'] as const;
export type BondChange = (typeof bondChanges)[number];

/** How a dispute was resolved: a lapsed one was rejected by default once its time ran out. */
export const disputeResolutions = ['upheld', 'rejected', 'lapsed'] as const;
export type DisputeResolution = (typeof disputeResolutions)[number];
