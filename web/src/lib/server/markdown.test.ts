import { describe, expect, it } from 'vitest';

import { relativeLinkPayloads, xssPayloads } from '../../../tests/xssPayloads';
import { descriptionBody, renderMarkdown, safeHref } from './markdown';

describe('renderMarkdown', () => {
  it('renders ordinary markdown', () => {
    const html = renderMarkdown(
      '## Evidence\n\n| a | b |\n|---|---|\n| **1** | `x` |\n\n[docs](https://example.org)',
    );
    expect(html).toContain('<h2>Evidence</h2>');
    expect(html).toContain('<strong>1</strong>');
    expect(html).toContain(
      '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">docs</a>',
    );
  });

  it.each(xssPayloads)('leaves nothing executable of %s', (payload) => {
    const html = renderMarkdown(payload);
    expect(html).not.toMatch(/<(script|iframe|object|embed|svg|math|style|form|meta|img)\b/i);
    // Inside tags only: the same words as text are harmless.
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/<[^>]*(href|src|action|data)\s*=\s*"?\s*javascript:/i);
    expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
  });

  it.each(relativeLinkPayloads)(
    'keeps no href but absolute http(s) and mailto in %s',
    (payload) => {
      const html = renderMarkdown(payload);
      expect(html).not.toMatch(/\shref=/i);
      // The link's words stay, as text.
      expect(html).toMatch(/<a rel="nofollow noopener noreferrer ugc">/);
    },
  );

  it('keeps absolute http(s) and mailto links', () => {
    const html = renderMarkdown(
      '[a](https://example.org/x?y=1) [b](http://example.org) [c](mailto:board@example.org) <https://auto.example>',
    );
    expect(html.match(/href="[^"]*"/g)).toEqual([
      'href="https://example.org/x?y=1"',
      'href="http://example.org"',
      'href="mailto:board@example.org"',
      'href="https://auto.example"',
    ]);
  });

  it('reads an href the way a browser would before judging it', () => {
    expect(safeHref('  https://example.org  ')).toBe('https://example.org');
    expect(safeHref('\u0001//evil.example')).toBeUndefined();
    expect(safeHref('https://ex\tample.org')).toBeUndefined();
    expect(safeHref('HTTPS://EXAMPLE.ORG')).toBe('HTTPS://EXAMPLE.ORG');
  });

  it('shows images as links, and drops their dangerous sources', () => {
    expect(renderMarkdown('![chart](https://example.org/c.png)')).toContain(
      '<a href="https://example.org/c.png" rel="nofollow noopener noreferrer ugc">image: chart</a>',
    );
    expect(renderMarkdown('![x](javascript:alert(1))')).not.toContain('javascript:');
  });
});

describe('descriptionBody', () => {
  it('drops the title line the page shows as its heading', () => {
    expect(descriptionBody('# Approve v2\n\nBecause.')).toBe('\nBecause.');
    expect(descriptionBody('No title')).toBe('No title');
  });
});
