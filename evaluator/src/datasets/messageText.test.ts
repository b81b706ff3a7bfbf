import { describe, expect, it } from 'vitest';

import { messageText } from './messageText.js';

const raw = [
  'From: someone@example.com',
  'Subject: Cheap meds,',
  '\tfast delivery',
  'X-Mailer: Foo',
  '',
  'Body line 1',
  'Body line 2',
].join('\n');

describe('messageText', () => {
  it('keeps the unfolded subject and the body, and drops transport headers', () => {
    expect(messageText(raw, 1000)).toBe('Cheap meds, fast delivery\n\nBody line 1\nBody line 2');
  });

  it('cuts at maxChars without splitting a surrogate pair', () => {
    expect(messageText('Subject: a\n\n😀😀', 5)).toBe('a\n\n😀');
    expect(messageText('Subject: a\n\n😀😀', 4)).toBe('a\n\n');
  });
});
