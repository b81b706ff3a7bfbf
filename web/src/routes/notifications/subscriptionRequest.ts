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

/** Which event types the delegates or the families narrow (the notifier's rule: none chosen, all). */
export interface EventNeeds {
  type: string;
  narrowedBy?: 'delegates' | 'families';
}

export type Checked =
  | { ok: true; request: SubscriptionRequest }
  | { ok: false; field: 'url' | 'events'; problem: string };

/**
 * The request for the notifier, or what is wrong. Delegates and families go only with the events they
 * narrow: with none chosen, the notifier sends every delegate's votes and every family's events.
 */
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
  if (parsed.username || parsed.password) {
    return {
      ok: false,
      field: 'url',
      problem:
        'The webhook URL must not carry a user name or password: check the signature instead.',
    };
  }
  const known = new Map(eventTypes.map((e) => [e.type, e]));
  const events = draft.events.filter((type) => known.has(type));
  if (!events.length) return { ok: false, field: 'events', problem: 'Choose at least one event.' };
  const narrowed = new Set(events.map((type) => known.get(type)?.narrowedBy));
  return {
    ok: true,
    request: {
      url: parsed.href,
      events,
      ...(narrowed.has('delegates') && draft.delegates.length
        ? { delegates: draft.delegates.map((a) => a.toLowerCase()) }
        : {}),
      ...(narrowed.has('families') && draft.families.length ? { families: draft.families } : {}),
    },
  };
}
