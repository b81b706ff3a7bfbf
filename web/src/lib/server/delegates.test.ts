import { describe, expect, it } from 'vitest';

import { publishStatement, statementSummary } from './delegates';

describe('statementSummary', () => {
  it('is the first non-blank line as plain text, markdown and tags taken off', () => {
    expect(statementSummary('\n\n# Evidence *first*\n\nMore.')).toBe('Evidence first');
    expect(statementSummary('> I vote for [reproducible](https://x.example) results')).toBe(
      'I vote for reproducible results',
    );
    expect(statementSummary('<script>alert(1)</script>\nSecond line')).toBe('alert(1)');
    expect(statementSummary('- a list item')).toBe('a list item');
  });

  it('cuts a long line with an ellipsis', () => {
    const summary = statementSummary('x'.repeat(500), 140);
    expect(summary).toHaveLength(140);
    expect(summary.endsWith('…')).toBe(true);
  });
});

describe('publishStatement', () => {
  it("names a bad field in the protocol's words before anything reaches the indexer", async () => {
    const valid = {
      delegate: `0x${'ab'.repeat(20)}`,
      statement: 'Mine.',
      interests: ['safety'],
      issuedAt: 1_800_000_000,
      signature: '0x1234',
    };
    expect(await publishStatement({ ...valid, interests: ['vibes'] })).toEqual({
      status: 400,
      body: {
        error: 'bad_request',
        parameter: 'interests',
        message:
          'unknown interest "vibes"; choose from safety, model quality, evaluation rigor, openness, cost, privacy',
      },
    });
    expect(await publishStatement({ ...valid, delegate: 'bob' })).toMatchObject({
      status: 400,
      body: { parameter: 'delegate' },
    });
    expect(await publishStatement({ ...valid, signature: undefined })).toMatchObject({
      status: 400,
      body: { parameter: 'signature' },
    });
    expect(await publishStatement([])).toMatchObject({ status: 400, body: { parameter: 'body' } });
  });
});
