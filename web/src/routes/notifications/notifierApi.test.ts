import { describe, expect, it } from 'vitest';

import { refusal } from './notifierApi';

const status = (code: number, text = '') => new Response(null, { status: code, statusText: text });

describe('refusal', () => {
  it('puts the notifier’s message in a sentence, naming the field a 400 is about', () => {
    expect(
      refusal(status(400), {
        error: 'bad_request',
        parameter: 'url',
        message: 'must be http or https, not ftp: webhooks are HTTP POSTs',
      }),
    ).toBe('“url” must be http or https, not ftp: webhooks are HTTP POSTs.');
    expect(
      refusal(status(401), {
        error: 'wrong_domain',
        message: 'the message signs in to localhost:3000, not to 127.0.0.1:3000',
      }),
    ).toBe('The message signs in to localhost:3000, not to 127.0.0.1:3000.');
    expect(refusal(status(401), { message: 'Your sign-in has expired: sign in again.' })).toBe(
      'Your sign-in has expired: sign in again.',
    );
  });

  it('falls back on the status when there is no message', () => {
    expect(refusal(status(502, 'Bad Gateway'), undefined)).toBe(
      'The notifier answered 502 Bad Gateway.',
    );
    expect(refusal(status(500), { error: 'internal' })).toBe('The notifier answered 500.');
  });
});
