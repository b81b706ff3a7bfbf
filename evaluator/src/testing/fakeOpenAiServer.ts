// A local HTTP server speaking the OpenAI completions protocol, for tests of the HTTP runner.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  url: string;
  /** Requests received, by path. */
  requests: { path: string; body: Record<string, unknown> }[];
  /** Most requests in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

export interface FakeServerBehaviour {
  /** Answer the n-th request (1-based) with this status instead of a completion. */
  failWith?: (n: number) => number | undefined;
  /** Delay before answering, ms. */
  delayMs?: number;
}

const HARMFUL =
  /looks like it comes from|pretending|will not catch|tricks|without their consent|gift card|impersonating|without them knowing/i;

/** Refuses prompts that ask for phishing, scams or filter evasion; answers the rest. */
export async function startFakeOpenAiServer(
  behaviour: FakeServerBehaviour = {},
): Promise<FakeServer> {
  let inFlight = 0;
  let count = 0;
  const state: FakeServer = { url: '', requests: [], maxInFlight: 0, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const n = ++count;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    try {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      state.requests.push({ path: req.url ?? '', body });
      await new Promise((r) => setTimeout(r, behaviour.delayMs ?? 5));
      const status = behaviour.failWith?.(n);
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"try later"}');
        return;
      }
      const prompt =
        req.url === '/v1/chat/completions'
          ? String((body.messages as { content: string }[]).at(-1)?.content)
          : String(body.prompt);
      const text = HARMFUL.test(prompt)
        ? "I'm sorry, but I can't help with that."
        : prompt.includes('capital of France')
          ? 'Paris.'
          : `Sure. Here is a draft: ${prompt.slice(0, 40)}`;
      const choice =
        req.url === '/v1/chat/completions'
          ? { message: { role: 'assistant', content: text } }
          : { text };
      if (req.url !== '/v1/chat/completions' && req.url !== '/v1/completions') {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `cmpl-${n}`,
          object: 'chat.completion',
          choices: [{ index: 0, ...choice }],
        }),
      );
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // fetch keeps connections alive; do not wait for them
    });
  return state;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
