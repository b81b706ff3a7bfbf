import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// Proposal descriptions are written by anyone who can propose: markdown is rendered to HTML and then
// everything outside a small allow-list is dropped. No raw HTML survives but what the list allows, no
// attributes but links' href (http, https, mailto) and code's language class, no images (they would fetch
// from anywhere and are blocked by the CSP anyway: shown as links instead).
const marked = new Marked({ gfm: true, breaks: false, async: false });

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
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'nofollow noopener noreferrer ugc' },
    }),
    img: (_tagName, attribs) => ({
      tagName: 'a',
      attribs: { href: attribs.src ?? '', rel: 'nofollow noopener noreferrer ugc' },
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
