// A webhook receiver as a subscriber would write one, with Node's http and crypto alone: it records every
// request and checks its `Charter-Signature` (HMAC-SHA256 of "<t>.<raw body>" with the subscription's secret).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the notifier POSTs. */
export interface WebhookEvent {
  id: string;
  type: string;
  chainId: number;
  block: { number: number; hash: string; timestamp: number } | null;
  tx: string | null;
  data: Record<string, unknown>;
  createdAt: string | number;
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it came: what the signature covers. */
  rawBody: string;
  event: WebhookEvent | undefined;
}

/**
 * Whether `header` (`t=<unix seconds>,v1=<hex>`, possibly with several v1) signs `rawBody` with `secret`,
 * compared in constant time, and its `t` is within `toleranceSeconds` of now (an old request replayed fails).
 */
export function verifyCharterSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  toleranceSeconds = 300,
  now = Date.now() / 1000,
): boolean {
  if (!header) return false;
  const fields = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  const t = fields.find(([key]) => key === 't')?.[1] ?? '';
  if (!/^\d+$/.test(t) || Math.abs(now - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return fields.some(([key, value]) => {
    if (key !== 'v1' || !/^[0-9a-f]+$/i.test(value)) return false;
    const given = Buffer.from(value, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface WebhookReceiver {
  /** Where to subscribe it: http://127.0.0.1:<port>/hook. */
  url: string;
  /** Every request so far, oldest first. */
  received: Received[];
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port that answers 200 to every request and records it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let event: WebhookEvent | undefined;
      try {
        event = JSON.parse(rawBody) as WebhookEvent;
      } catch {
        // Recorded all the same: the test's assertions say what was wrong.
      }
      received.push({ path: request.url ?? '', headers: request.headers, rawBody, event });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
