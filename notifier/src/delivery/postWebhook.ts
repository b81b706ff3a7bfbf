import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

import type { ResolvedAddress } from './webhookAddress';

/**
 * POSTs `body` to `url`, connecting to `addresses` (those already resolved and checked) whatever the
 * resolver would say now; the Host header and the TLS server name stay the URL's host. Redirects are not
 * followed. Reads at most `maxAnswerBytes` of the answer; resolves with the status code.
 */
export function postWebhook(
  url: URL,
  options: {
    headers: Record<string, string>;
    body: string;
    addresses: ResolvedAddress[];
    signal: AbortSignal;
    maxAnswerBytes: number;
  },
): Promise<number> {
  const { headers, body, addresses, signal, maxAnswerBytes } = options;
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    // With `all` (Node's happy eyeballs) every checked address is tried in turn, else the first.
    if (lookupOptions.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        signal,
        agent: false,
        lookup,
      },
      (response: IncomingMessage) => {
        const statusCode = response.statusCode ?? 0;
        let read = 0;
        const finish = () => {
          response.destroy();
          resolve(statusCode);
        };
        response.on('data', (chunk: Buffer) => {
          read += chunk.byteLength;
          if (read >= maxAnswerBytes) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
