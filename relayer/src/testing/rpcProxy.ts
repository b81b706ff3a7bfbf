import { createServer, type Server } from 'node:http';

/** `up` forwards everything; `down` answers every request 503; `refuse-send` answers 503 only to
 * `eth_sendRawTransaction` (a node that will not take transactions for a while). */
export type ProxyMode = 'up' | 'down' | 'refuse-send';

export interface RpcProxy {
  url: string;
  mode: ProxyMode;
  /** `eth_sendRawTransaction` requests seen, whatever the answer. */
  sends: number;
  close(): Promise<void>;
}

/** An HTTP JSON-RPC proxy in front of `target` whose failures a test switches on and off. */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const proxy = { mode: 'up' as ProxyMode, sends: 0 };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const isSend = body.includes('"eth_sendRawTransaction"');
    if (isSend) proxy.sends++;
    if (proxy.mode === 'down' || (proxy.mode === 'refuse-send' && isSend)) {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    try {
      const upstream = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      response
        .writeHead(upstream.status, { 'content-type': 'application/json' })
        .end(await upstream.text());
    } catch {
      response.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
