import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// Proposal descriptions are written by anyone who can propose: markdown is rendered to HTML and then
// everything outside a small allow-list is dropped. No raw HTML survives but what the list allows, no
// attributes but links' href and code's language class, no images (they would fetch from anywhere and are
// blocked by the CSP anyway: shown as links instead). A link keeps its href only when it is an absolute
// http(s) or mailto URL: relative and protocol-relative links would point into this app or wherever the
// page is served from, so they lose the href and read as text.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const rel = 'nofollow noopener noreferrer ugc';

/** The href if it is an absolute http(s) or mailto URL, otherwise undefined. */
export function safeHref(href: string | undefined): string | undefined {
  if (!href) return undefined;
  // A browser ignores controls and spaces around a URL, and tabs and newlines inside it.
  // eslint-disable-next-line no-control-regex -- these are exactly the characters it ignores
  const cleaned = href.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (/[\t\n\r]/.test(cleaned)) return undefined;
  if (!/^(https?:\/\/[^/\\\s]|mailto:[^\s])/i.test(cleaned)) return undefined;
  try {
    const url = new URL(cleaned);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? cleaned : undefined;
  } catch {
    return undefined;
  }
}

/** An `a` element's attributes: its href only if it is safe, and rel. */
function link(href: string | undefined, title?: string): Record<string, string> {
  const safe = safeHref(href);
  return { ...(safe ? { href: safe } : {}), ...(title ? { title } : {}), rel };
}

const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'input',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: link(attribs.href, attribs.title) }),
    img: (_tagName, attribs) => ({
      tagName: 'a',
      attribs: link(attribs.src),
      text: `image: ${attribs.alt || attribs.src || ''}`,
    }),
    // Task-list checkboxes only: any other input becomes inert text.
    input: (tagName, attribs) =>
      attribs.type === 'checkbox'
        ? {
            tagName,
            attribs: {
              type: 'checkbox',
              disabled: '',
              ...(attribs.checked !== undefined ? { checked: '' } : {}),
            },
          }
        : { tagName: 'span', attribs: {} },
  },
};
policy.allowedAttributes = { ...policy.allowedAttributes, a: ['href', 'title', 'rel'] };

/** Untrusted markdown to HTML that is safe to insert with {@html}. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return sanitizeHtml(html, policy);
}

/** The description without its leading "# Title" line, which the page shows as its heading. */
export function descriptionBody(description: string): string {
  return description.replace(/^\s*#\s+[^\n]*\n?/, '');
}
