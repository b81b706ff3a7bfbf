import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  raw: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** The status code to answer the n-th request (0-based) with; 200 unless set. */
  answer: (index: number) => number;
  close(): Promise<void>;
}

/** A webhook receiver on loopback (on `port`, or any free one): records every request, answers as `answer` says. */
export async function startReceiver(
  answer: (index: number) => number = () => 200,
  port = 0,
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { requests, answer } as Receiver;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = requests.length;
      requests.push({
        headers: request.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      response.writeHead(receiver.answer(index), { 'Content-Type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
