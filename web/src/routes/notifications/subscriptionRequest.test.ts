import { describe, expect, it } from 'vitest';

import { subscriptionRequest, type SubscriptionDraft } from './subscriptionRequest';

const eventTypes = [
  { type: 'proposal.created' },
  { type: 'vote.cast', narrowedBy: 'delegates' },
  { type: 'model.approved', narrowedBy: 'families' },
] as const;

const draft = (over: Partial<SubscriptionDraft>): SubscriptionDraft => ({
  url: 'https://example.com/hook',
  events: ['proposal.created'],
  delegates: [],
  families: [],
  ...over,
});

const delegate = '0xABCDEF0000000000000000000000000000000001';

describe('subscriptionRequest', () => {
  it('sends the URL and events, with the delegates and families only the chosen events use', () => {
    expect(
      subscriptionRequest(
        draft({
          url: '  http://127.0.0.1:4000/hook ',
          events: ['model.approved', 'proposal.created'],
          delegates: [delegate],
          families: ['mail-guard'],
        }),
        eventTypes,
      ),
    ).toEqual({
      ok: true,
      request: {
        url: 'http://127.0.0.1:4000/hook',
        events: ['model.approved', 'proposal.created'],
        families: ['mail-guard'],
      },
    });
    expect(
      subscriptionRequest(draft({ events: ['vote.cast'], delegates: [delegate] }), eventTypes),
    ).toEqual({
      ok: true,
      request: {
        url: 'https://example.com/hook',
        events: ['vote.cast'],
        delegates: ['0xabcdef0000000000000000000000000000000001'],
      },
    });
  });

  it('sends no delegates or families when none are chosen: the notifier then sends them all', () => {
    expect(
      subscriptionRequest(draft({ events: ['vote.cast', 'model.approved'] }), eventTypes),
    ).toEqual({
      ok: true,
      request: { url: 'https://example.com/hook', events: ['vote.cast', 'model.approved'] },
    });
  });

  it('names what is missing or wrong', () => {
    expect(subscriptionRequest(draft({ url: '' }), eventTypes)).toEqual({
      ok: false,
      field: 'url',
      problem: 'Enter the webhook URL your server receives the events at.',
    });
    expect(subscriptionRequest(draft({ url: 'example.com/hook' }), eventTypes)).toMatchObject({
      ok: false,
      field: 'url',
      problem: expect.stringContaining('“example.com/hook”'),
    });
    expect(subscriptionRequest(draft({ url: 'ftp://example.com/hook' }), eventTypes)).toMatchObject(
      { field: 'url' },
    );
    expect(
      subscriptionRequest(draft({ url: 'https://me:pw@example.com/hook' }), eventTypes),
    ).toMatchObject({ field: 'url', problem: expect.stringContaining('user name or password') });
    expect(subscriptionRequest(draft({ events: [] }), eventTypes)).toEqual({
      ok: false,
      field: 'events',
      problem: 'Choose at least one event.',
    });
    expect(subscriptionRequest(draft({ events: ['nonsense'] }), eventTypes)).toMatchObject({
      field: 'events',
    });
  });
});
