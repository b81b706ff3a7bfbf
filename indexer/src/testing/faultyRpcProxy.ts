import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultyRpcProxy {
  url: string;
  /** How many times each fault was served. */
  faults: Record<string, number>;
  /** Requests forwarded, per JSON-RPC method (each call of a batch counted). */
  calls: Record<string, number>;
  /**
   * Holds every request for `method` (not in a batch) from now on, unanswered, until `release()` forwards
   * them: to change the chain between a client's two requests, deterministically.
   */
  hold(method: string): HeldRequests;
  /** Answers every request for `method` (not in a batch) from now on with this JSON-RPC error. */
  refuse(method: string, error: { code: number; message: string }): void;
  stop(): Promise<void>;
}

export interface HeldRequests {
  /** Resolves once `count` requests are waiting. */
  waiting(count?: number): Promise<void>;
  /** Forwards the waiting requests, and those that come after, as usual. */
  release(): void;
}

/** The share of requests met by each fault, drawn in this order. */
export interface FaultRates {
  /** The connection closed before the request reaches the node. */
  dropped: number;
  /** HTTP 429 with `Retry-After`. */
  tooMany: number;
  /** HTTP 502 with an HTML page. */
  badGateway: number;
  /** Never answered: the client must time out. */
  hung: number;
  /** Forwarded after 20–170 ms. */
  delayed: number;
  /** Forwarded, then the answer cut in half (the node did the work: a write went through). */
  truncated: number;
}

export interface FaultyRpcProxyOptions {
  seed?: number;
  rates?: Partial<FaultRates>;
  /** `Retry-After` of a 429, in seconds. */
  retryAfter?: number;
  /** Largest `eth_getLogs` range answered; a larger one is refused as providers do. */
  logRangeCap?: number;
  /** Draws used before the seeded ones: to meet each fault once for sure, early. */
  planned?: number[];
}

const defaultRates: FaultRates = {
  dropped: 0.06,
  tooMany: 0.06,
  badGateway: 0.04,
  hung: 0.02,
  delayed: 0.12,
  truncated: 0.03,
};

/**
 * A JSON-RPC proxy in front of `target` that misbehaves like a bad hosted provider, reproducibly (a fixed
 * seed): drops connections, answers 429 and 502, never answers, delays, cuts answers short, and refuses
 * `eth_getLogs` ranges over its cap; on the test's cue, it holds or refuses a method's requests.
 */
export async function startFaultyRpcProxy(
  target: string,
  options: FaultyRpcProxyOptions = {},
): Promise<FaultyRpcProxy> {
  const { seed = 42, retryAfter = 0, logRangeCap = Infinity } = options;
  const rates = { ...defaultRates, ...options.rates };
  const planned = [...(options.planned ?? [])];
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const faults: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const fault = (name: string) => (faults[name] = (faults[name] ?? 0) + 1);
  const holds = new Map<
    string,
    { waiting: number; changed: () => void; released: Promise<void> }
  >();
  const refusals = new Map<string, { code: number; message: string }>();
  // Cumulative thresholds: a draw below `dropped` drops, below `dropped + tooMany` answers 429, and so on.
  const below = { dropped: rates.dropped } as Record<keyof FaultRates, number>;
  below.tooMany = below.dropped + rates.tooMany;
  below.badGateway = below.tooMany + rates.badGateway;
  below.hung = below.badGateway + rates.hung;
  below.delayed = below.hung + rates.delayed;

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const r = planned.shift() ?? random();
    if (r < below.dropped) {
      fault('dropped');
      return req.socket.destroy();
    }
    if (r < below.tooMany) {
      fault('429');
      return res.writeHead(429, { 'retry-after': String(retryAfter) }).end();
    }
    if (r < below.badGateway) {
      fault('502');
      return res.writeHead(502).end('<html>bad gateway</html>');
    }
    if (r < below.hung) return fault('hung');
    type Call = { id?: number; method?: string; params?: [{ fromBlock: string; toBlock: string }] };
    const request = JSON.parse(body) as Call | Call[];
    for (const call of [request].flat()) {
      if (call.method) calls[call.method] = (calls[call.method] ?? 0) + 1;
    }
    const method = Array.isArray(request) ? undefined : request.method;
    const held = method === undefined ? undefined : holds.get(method);
    if (held) {
      held.waiting++;
      held.changed();
      await held.released;
    }
    const refusal = method === undefined ? undefined : refusals.get(method);
    if (refusal) {
      fault('refused');
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: (request as Call).id, error: refusal }));
    }
    if (!Array.isArray(request) && request.method === 'eth_getLogs') {
      const { fromBlock, toBlock } = request.params![0];
      if (Number(toBlock) - Number(fromBlock) + 1 > logRangeCap) {
        fault('range');
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: request.id,
            error: { code: -32005, message: `query exceeds max block range ${logRangeCap}` },
          }),
        );
      }
    }
    if (r < below.delayed) {
      fault('delayed');
      await new Promise((resolve) => setTimeout(resolve, 20 + random() * 150));
    }
    const upstream = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await upstream.text();
    if (r > 1 - rates.truncated) {
      fault('truncated');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(text.slice(0, text.length / 2));
      return res.socket?.destroy();
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    calls,
    hold(method) {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const held = { waiting: 0, changed: () => {}, released };
      holds.set(method, held);
      return {
        async waiting(count = 1) {
          while (held.waiting < count)
            await new Promise<void>((resolve) => (held.changed = resolve));
        },
        release() {
          if (holds.get(method) === held) holds.delete(method);
          release();
        },
      };
    },
    refuse(method, error) {
      refusals.set(method, error);
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
