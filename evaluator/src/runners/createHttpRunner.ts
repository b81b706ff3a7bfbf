import { RunnerError } from '../errors.js';
import type { GenerationRequest, GeneratorRunner } from './types.js';

export interface HttpRunnerOptions {
  /** Server root, with or without `/v1` (vLLM: http://localhost:8000). */
  baseUrl: string;
  /** The served model name sent in each request. */
  model: string;
  /** `chat` → /v1/chat/completions, `completions` → /v1/completions. Default `chat`. */
  endpoint?: 'chat' | 'completions';
  apiKey?: string;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  /** Further attempts after a retryable failure (timeout, network, 429, 5xx). Default 3. */
  retries?: number;
  /** First retry delay, doubled each attempt (a Retry-After header wins). Default 500 ms. */
  backoffMs?: number;
  /** Sent as `seed` for servers that support seeded sampling (vLLM, llama.cpp). */
  seed?: number;
  fetch?: typeof fetch;
}

/**
 * A generator backed by an OpenAI-compatible server (vLLM, TGI, llama.cpp, Ollama): the route to
 * models too large for this process. Requests run with bounded concurrency; transient failures
 * are retried with exponential backoff, others fail at once with the server's answer.
 */
export function createHttpRunner(options: HttpRunnerOptions): GeneratorRunner {
  const endpoint = options.endpoint ?? 'chat';
  const root = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const url = `${root}/v1/${endpoint === 'chat' ? 'chat/completions' : 'completions'}`;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const doFetch = options.fetch ?? fetch;

  async function attempt(request: GenerationRequest): Promise<string> {
    const body =
      endpoint === 'chat'
        ? {
            messages: [
              ...(request.system ? [{ role: 'system', content: request.system }] : []),
              { role: 'user', content: request.prompt },
            ],
          }
        : { prompt: request.system ? `${request.system}\n\n${request.prompt}` : request.prompt };
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: options.model,
          ...body,
          max_tokens: request.maxTokens,
          temperature: request.temperature,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const timedOut = (cause as Error)?.name === 'TimeoutError';
      throw new RunnerError(
        timedOut
          ? `${url} did not answer within ${timeoutMs} ms`
          : `cannot reach ${url}: ${(cause as Error)?.message}`,
        { url, retryable: true },
        { cause },
      );
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 300);
      throw new RunnerError(`${url} answered ${response.status}: ${text}`, {
        url,
        status: response.status,
        retryable: response.status === 429 || response.status >= 500,
        retryAfterMs: retryAfter(response.headers.get('retry-after')),
      });
    }
    const json = (await response.json().catch((cause: unknown) => {
      throw new RunnerError(`${url} answered with invalid JSON`, { url }, { cause });
    })) as { choices?: { message?: { content?: string }; text?: string }[] };
    const choice = json.choices?.[0];
    const text = endpoint === 'chat' ? choice?.message?.content : choice?.text;
    if (typeof text !== 'string')
      throw new RunnerError(`${url} answered without a completion`, { url, body: json });
    return text;
  }

  async function generateOne(request: GenerationRequest): Promise<string> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(request);
      } catch (error) {
        if (!(error instanceof RunnerError) || !error.retryable || n >= retries) throw error;
        const hinted = error.details.retryAfterMs as number | undefined;
        await sleep(hinted ?? backoffMs * 2 ** n);
      }
    }
  }

  return {
    kind: 'generator',
    info: {
      name: 'openai-http',
      device: 'remote',
      dtype: 'remote',
      model: options.model,
      endpoint,
    },
    settings: {
      device: 'remote',
      executionProvider: 'http',
      dtype: 'remote',
      threads: concurrency,
      versions: {},
    },
    generate: (requests) => mapBounded(requests, concurrency, generateOne),
    async dispose() {},
  };
}

/** Maps with at most `limit` calls in flight; results in input order; the first failure wins. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function retryAfter(header: string | null): number | undefined {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) ? Math.min(seconds, 60) * 1000 : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
