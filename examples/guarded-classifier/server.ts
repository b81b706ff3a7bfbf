// A prediction service that serves a model only while Charter's registry approves it. It loads the model
// through the evaluator's guarded loader, which follows the indexer's stream: once the guardian suspends
// the version, or governance revokes or deprecates it, POST /classify answers 503 with the status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { findLiveDeployment } from '@charter/contracts';
import { connectCharter, loadGuardedModel, ModelNotApprovedError } from '@charter/evaluator';
import { createPublicClient, http } from 'viem';

const env = process.env;
const rpcUrl = env.RPC_URL ?? 'http://127.0.0.1:8545';
const indexerUrl = env.INDEXER_URL ?? 'http://127.0.0.1:42069';
const modelDir =
  env.MODEL_DIR ?? fileURLToPath(new URL('../../evaluator/models/mail-guard-v2', import.meta.url));
const port = Number(env.PORT ?? 8787);
const verdictTtlMs = Number(env.VERDICT_TTL_MS ?? 60_000);
/** Longest text accepted, in characters. */
const MAX_TEXT = 10_000;

const log = (event: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, ...fields }));

// As the evaluator's CLI finds it: the file named, or the first for this chain whose contracts are there.
const client = createPublicClient({ transport: http(rpcUrl) });
const deployment = await findLiveDeployment(
  { chainId: await client.getChainId(), file: env.CHARTER_DEPLOYMENT },
  async (address) => Boolean(await client.getCode({ address })),
);
const model = await loadGuardedModel(modelDir, {
  connection: connectCharter({ rpcUrl, deployment }),
  indexer: indexerUrl,
  verdictTtlMs,
  onVerdict: (check) => log('verdict', { status: check.status, summary: check.summary }),
  onError: (error) => log('guard.error', { message: (error as Error).message }),
}).catch((error: unknown) => {
  log('refused', { message: (error as Error).message });
  process.exit(error instanceof ModelNotApprovedError ? 6 : 1);
});

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > MAX_TEXT * 2) throw new RangeError('the body is too large');
  }
  return JSON.parse(body);
}

async function classify(request: IncomingMessage, response: ServerResponse) {
  let text: unknown;
  try {
    text = ((await readJson(request)) as { text?: unknown } | null)?.text;
  } catch (error) {
    return send(response, 400, { error: `bad body: ${(error as Error).message}` });
  }
  if (typeof text !== 'string' || !text || text.length > MAX_TEXT) {
    return send(response, 400, {
      error: `"text" must be a non-empty string of at most ${MAX_TEXT} characters`,
    });
  }
  try {
    const [prediction] = await model.classify(text);
    return send(response, 200, { ...prediction, model: model.digest });
  } catch (error) {
    if (error instanceof ModelNotApprovedError) {
      return send(response, 503, { error: error.message, status: error.status });
    }
    log('classify.error', { message: (error as Error).message });
    return send(response, 500, { error: (error as Error).message });
  }
}

const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/classify')
    return void classify(request, response);
  if (request.method === 'GET' && request.url === '/health') {
    return void model.verdict().then(
      (check) =>
        send(response, check.approved ? 200 : 503, {
          status: check.status,
          summary: check.summary,
        }),
      (error: unknown) => send(response, 503, { error: (error as Error).message }),
    );
  }
  send(response, 404, { error: 'POST /classify or GET /health' });
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  log('listening', { port: typeof address === 'object' && address ? address.port : port });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void model.close().then(() => process.exit(0));
  });
}
