// The subscription form's answers checked before they go to the notifier, so that a mistake is named next
// to the form rather than after a round trip (the notifier checks them again).

export interface SubscriptionDraft {
  url: string;
  events: string[];
  delegates: string[];
  families: string[];
}

export interface SubscriptionRequest {
  url: string;
  events: string[];
  delegates?: string[];
  families?: string[];
}

/** The event types that only make sense with delegates or families chosen. */
export interface EventNeeds {
  type: string;
  needs?: 'delegates' | 'families';
}

export type Checked =
  | { ok: true; request: SubscriptionRequest }
  | { ok: false; field: 'url' | 'events' | 'delegates' | 'families'; problem: string };

export function subscriptionRequest(
  draft: SubscriptionDraft,
  eventTypes: readonly EventNeeds[],
): Checked {
  const url = draft.url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // said below
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return {
      ok: false,
      field: 'url',
      problem: url
        ? `The webhook URL must be a full http:// or https:// address, like https://example.com/charter, not “${url}”.`
        : 'Enter the webhook URL your server receives the events at.',
    };
  }
  const known = new Map(eventTypes.map((e) => [e.type, e]));
  const events = draft.events.filter((type) => known.has(type));
  if (!events.length) return { ok: false, field: 'events', problem: 'Choose at least one event.' };
  const needs = new Set(events.map((type) => known.get(type)?.needs));
  if (needs.has('delegates') && !draft.delegates.length) {
    return {
      ok: false,
      field: 'delegates',
      problem: 'You asked for votes by delegates you follow: choose at least one delegate.',
    };
  }
  if (needs.has('families') && !draft.families.length) {
    return {
      ok: false,
      field: 'families',
      problem: 'You asked for model or result events: choose at least one model family.',
    };
  }
  return {
    ok: true,
    request: {
      url: parsed.href,
      events,
      ...(needs.has('delegates') ? { delegates: draft.delegates.map((a) => a.toLowerCase()) } : {}),
      ...(needs.has('families') ? { families: draft.families } : {}),
    },
  };
}
