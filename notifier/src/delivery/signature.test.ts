import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { signatureHeader, verifySignature } from './signature';

const secret = 'a'.repeat(64);
const body = '{"id":"evt_1","type":"test"}';
const now = 1_800_000_000;

describe('verifySignature', () => {
  it('accepts the header the notifier sends, for the body as received', () => {
    const header = signatureHeader(secret, body, now);
    expect(header).toBe(
      `t=${now},v1=${createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')}`,
    );
    expect(verifySignature(secret, header, body, 300, now)).toBe(true);
    expect(verifySignature(secret, header, new TextEncoder().encode(body), 300, now + 299)).toBe(
      true,
    );
  });

  it('refuses another secret, a changed body, an old or future time, and malformed headers', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature('b'.repeat(64), header, body, 300, now)).toBe(false);
    expect(verifySignature(secret, header, body.replace('test', 'tesT'), 300, now)).toBe(false);
    expect(verifySignature(secret, header, body, 300, now + 301)).toBe(false);
    expect(verifySignature(secret, header, body, 300, now - 301)).toBe(false);
    expect(verifySignature(secret, undefined, body, 300, now)).toBe(false);
    expect(verifySignature(secret, `t=${now}`, body, 300, now)).toBe(false);
    expect(verifySignature(secret, header.replace(/v1=../, 'v1=zz'), body, 300, now)).toBe(false);
    // The time is inside the signed bytes: moving it breaks the signature.
    expect(
      verifySignature(secret, header.replace(`t=${now}`, `t=${now + 1}`), body, 300, now),
    ).toBe(false);
  });
});
