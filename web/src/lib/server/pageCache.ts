// Rendered pages (and the `__data.json` a page reloads its data from) shared between readers per (URL,
// indexed block): a page is the same for everyone — what depends on the connected account is read in the
// browser (`/api/proposals/:id/votes/:voter`, never cached) — so between two blocks it is rendered once.
import { randomBytes } from 'node:crypto';

import type { RequestEvent } from '@sveltejs/kit';

import type { BlockCache } from './blockCache';
import { notePersonal, trackReads, type ReadBlocks } from './readBlocks';

export interface CachedPage {
  status: number;
  headers: [string, string][];
  /** The body split at its CSP nonce, so each reader gets a fresh one; one part when it has none. */
  parts: Uint8Array<ArrayBuffer>[];
  nonce: string | undefined;
  block: number;
  bytes: number;
}

/** Paths that are never shared: the stream, the dev chain's relay, and per-account or per-request APIs. */
const unshared = /^\/(?:stream|rpc|api)(?:\/|$)/;

/** Whether a request may be answered from (and fill) the shared cache. */
export function isShareable(request: Request, url: URL): boolean {
  return (
    request.method === 'GET' &&
    !request.headers.has('authorization') &&
    !unshared.test(url.pathname)
  );
}

const cspNonce = /'nonce-([^']+)'/;
const encoder = new TextEncoder();

/**
 * Takes a rendered response apart for the cache, or returns undefined when it must not be shared: not a
 * 200, a cookie set or read, a page marked `private` or `no-store`, a streamed answer, or data read at no
 * known block (an indexer error among its reads). A data request's `private, no-store` is SvelteKit's
 * own, on every one (it tells browsers not to keep it), so it does not keep it out of this cache.
 */
async function capture(
  response: Response,
  reads: ReadBlocks,
  isDataRequest: boolean,
): Promise<{ page: CachedPage | undefined; response: Response }> {
  const type = response.headers.get('content-type') ?? '';
  const cacheControl = response.headers.get('cache-control') ?? '';
  const shareable =
    response.status === 200 &&
    (isDataRequest
      ? type.startsWith('application/json')
      : type.startsWith('text/html') && !/no-store|private/.test(cacheControl)) &&
    !response.headers.has('set-cookie') &&
    !reads.unknown &&
    !reads.personal &&
    Number.isSafeInteger(reads.oldest);
  if (!shareable) return { page: undefined, response };
  const body = await response.text();
  const nonce = response.headers.get('content-security-policy')?.match(cspNonce)?.[1];
  // SvelteKit's ETag hashes the body with its nonce: each reader's copy differs, so it is no validator.
  const headers = [...response.headers].filter(([name]) => name !== 'etag');
  const page: CachedPage = {
    status: response.status,
    headers,
    parts: (nonce ? body.split(nonce) : [body]).map((part) => encoder.encode(part)),
    nonce,
    block: reads.oldest,
    bytes: Buffer.byteLength(body) + headers.reduce((sum, [n, v]) => sum + n.length + v.length, 0),
  };
  return { page, response: toResponse(page, 'miss') };
}

/** A cached page as one reader's response: a new CSP nonce of its own, and where it came from. */
function toResponse(page: CachedPage, cache: 'hit' | 'miss'): Response {
  const nonce = page.nonce && cache === 'hit' ? randomBytes(16).toString('base64') : page.nonce;
  const headers = new Headers(
    page.nonce && nonce !== page.nonce
      ? page.headers.map(([name, value]): [string, string] => [
          name,
          value.replaceAll(page.nonce!, nonce!),
        ])
      : page.headers,
  );
  headers.set('x-charter-cache', cache);
  headers.set('x-charter-indexed-block', String(page.block));
  const body = joinParts(page.parts, nonce ?? '');
  // Known length: sent in one piece rather than chunked.
  headers.set('content-length', String(body.length));
  return new Response(body, { status: page.status, headers });
}

/** The parts with `between` between each two: one copy into a new buffer. */
function joinParts(parts: Uint8Array<ArrayBuffer>[], between: string): Uint8Array<ArrayBuffer> {
  if (parts.length === 1) return parts[0]!;
  const separator = encoder.encode(between);
  const whole = new Uint8Array(
    parts.reduce((sum, part) => sum + part.length, 0) + separator.length * (parts.length - 1),
  );
  let at = 0;
  parts.forEach((part, i) => {
    if (i > 0) {
      whole.set(separator, at);
      at += separator.length;
    }
    whole.set(part, at);
    at += part.length;
  });
  return whole;
}

/** Notes any read of the request's cookies: a render that read one is that reader's own. */
function watchCookies(event: RequestEvent): void {
  const cookies = event.cookies;
  event.cookies = new Proxy(cookies, {
    get(target, property, receiver) {
      notePersonal();
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/**
 * Answers `event` from the page cache, or renders it with `render` (once per URL and block however many
 * readers ask at once) and caches what may be shared.
 */
export async function cachedRender(
  pages: BlockCache<CachedPage>,
  event: RequestEvent,
  render: () => Promise<Response>,
): Promise<Response> {
  if (!pages.enabled || !isShareable(event.request, event.url)) return render();
  // The raw URL: a data request's (`__data.json?x-sveltekit-invalidated=…`) differs from its page's.
  const { pathname, search } = new URL(event.request.url);
  const key = pathname + search;
  const hit = pages.get(key);
  if (hit) return toResponse(hit, 'hit');
  watchCookies(event);
  let own: Response | undefined;
  const shared = await pages.fill(key, async (ticket): Promise<CachedPage | undefined> => {
    const { result, reads } = await trackReads(render);
    const { page, response } = await capture(result, reads, event.isDataRequest);
    own = response;
    if (page) pages.put(key, ticket, page.block, page, page.bytes + 512);
    return page;
  });
  if (own) return own;
  // Another reader's render of the same URL, at a block no older than the latest announced one.
  return shared ? toResponse(shared, 'hit') : render();
}
