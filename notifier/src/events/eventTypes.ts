/** What a subscription can ask for. `event.retracted` is sent to whoever was sent the event it retracts. */
export const chainEventTypes = [
  'proposal.created',
  'proposal.state-changed',
  'vote.cast',
  'model.approved',
  'model.deprecated',
  'model.revoked',
  'model.suspended',
  'result.posted',
  'result.disputed',
] as const;
export type ChainEventType = (typeof chainEventTypes)[number];

export const eventTypes = [...chainEventTypes, 'test', 'event.retracted'] as const;
export type EventType = (typeof eventTypes)[number];

/** Event types narrowed by a subscription's `families`. */
export const familyEventTypes: readonly EventType[] = [
  'model.approved',
  'model.deprecated',
  'model.revoked',
  'model.suspended',
  'result.posted',
  'result.disputed',
];

/** The JSON body of a webhook (and the content of a feed entry). */
export interface EventBody {
  id: string;
  type: EventType;
  chainId: number;
  block: { number: number; hash: string; timestamp: number } | null;
  tx: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Whether a subscription wants an event: its type, and for votes the voter, for models the family. */
export function subscriptionWants(
  subscription: { events: string[]; delegates: string[]; families: string[] },
  event: { type: string; actor: string | null; family: string | null },
): boolean {
  if (!subscription.events.includes(event.type)) return false;
  if (event.type === 'vote.cast' && subscription.delegates.length > 0) {
    return event.actor !== null && subscription.delegates.includes(event.actor);
  }
  if (familyEventTypes.includes(event.type as EventType) && subscription.families.length > 0) {
    return event.family !== null && subscription.families.includes(event.family);
  }
  return true;
}
