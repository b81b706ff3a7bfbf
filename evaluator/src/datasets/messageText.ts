/**
 * The text a classifier sees for a raw RFC 822 message: the subject line, a blank line, then the
 * body as it is (not MIME-decoded), cut to `maxChars` UTF-16 code units. Transport headers are
 * left out on purpose: in this corpus they identify the mailing lists the ham came from, and a
 * model that learned them would score well without recognising spam.
 */
export function messageText(raw: string, maxChars: number): string {
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const body = headerEnd < 0 ? '' : raw.slice(headerEnd).replace(/^(\r?\n)+/, '');
  const subject = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '';
  const text = `${subject.replace(/\r?\n[ \t]+/g, ' ').trim()}\n\n${body}`;
  return truncate(text, maxChars);
}

/** Cuts to `maxChars` code units without splitting a surrogate pair. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const code = text.charCodeAt(maxChars - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars);
}
