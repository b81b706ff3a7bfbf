import {
  isRetryable,
  RpcResponseError,
  RpcTransportError,
  RpcUnavailableError,
  type BaseError,
} from '../errors';
import type { Logger } from '../log';

export interface Rpc {
  /** One JSON-RPC call, retried with backoff while the error is retryable. */
  request<T>(method: string, params: unknown[], options?: RequestOptions): Promise<T>;
  /** Several calls in one HTTP request (JSON-RPC batch), retried as a whole. */
  batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]>;
}

export interface RequestOptions {
  /** Errors the caller handles itself instead of retrying (a log range the provider refuses). */
  giveUp?: (error: BaseError) => boolean;
}

export interface RpcOptions {
  url: string;
  timeout: number;
  retries: number;
  logger: Logger;
}

interface JsonRpcReply {
  id?: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

const maxBackoff = 30_000;
const batchSize = 100;

/** A JSON-RPC client over HTTP that tells what can be retried from what cannot. */
export function createRpc({ url, timeout, retries, logger }: RpcOptions): Rpc {
  let nextId = 1;

  async function post(body: unknown, what: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError';
      throw new RpcTransportError(
        timedOut ? 'RPC request timed out' : 'RPC request failed',
        {
          method: what,
          ...(timedOut ? { timeout } : {}),
        },
        { cause },
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new RpcTransportError('RPC response was cut off', { method: what }, { cause });
    }
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after')) * 1000 || undefined;
      throw new RpcTransportError(`RPC answered HTTP ${response.status}`, {
        method: what,
        status: response.status,
        retryAfter,
      });
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new RpcTransportError(
        'RPC answered something that is not JSON',
        {
          method: what,
          status: response.status,
          body: text.slice(0, 200),
        },
        { cause },
      );
    }
  }

  function unwrap<T>(reply: JsonRpcReply | undefined, method: string): T {
    if (!reply || typeof reply !== 'object') {
      throw new RpcTransportError('RPC reply is missing', { method });
    }
    if (reply.error) {
      throw new RpcResponseError(reply.error.message, reply.error.code, {
        method,
        data: reply.error.data,
      });
    }
    if (!('result' in reply)) throw new RpcTransportError('RPC reply has no result', { method });
    return reply.result as T;
  }

  async function withRetries<T>(
    what: string,
    attempt: () => Promise<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const known = error as BaseError;
        if (!isRetryable(error) || options.giveUp?.(known)) throw error;
        if (tries >= retries) {
          throw new RpcUnavailableError(
            'RPC kept failing',
            { method: what, tries: tries + 1 },
            {
              cause: error,
            },
          );
        }
        const backoff = Math.min(maxBackoff, 200 * 2 ** tries) * (0.5 + Math.random() / 2);
        const delay = Math.max(backoff, Number(known.details?.retryAfter ?? 0));
        logger.warn('rpc_retry', {
          method: what,
          attempt: tries + 1,
          delayMs: Math.round(delay),
          error,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return {
    request<T>(method: string, params: unknown[], options?: RequestOptions) {
      return withRetries(
        method,
        async () => {
          const id = nextId++;
          const reply = (await post(
            { jsonrpc: '2.0', id, method, params },
            method,
          )) as JsonRpcReply;
          if (reply && reply.id !== undefined && reply.id !== id) {
            throw new RpcTransportError('RPC reply answers another request', { method, id });
          }
          return unwrap<T>(reply, method);
        },
        options,
      );
    },

    async batch<T>(calls: { method: string; params: unknown[] }[]) {
      const results: T[] = [];
      for (let start = 0; start < calls.length; start += batchSize) {
        const slice = calls.slice(start, start + batchSize);
        const what = `batch of ${slice.length} ${slice[0]?.method}`;
        const answers = await withRetries(what, async () => {
          const first = nextId;
          nextId += slice.length;
          const body = slice.map((call, i) => ({ jsonrpc: '2.0', id: first + i, ...call }));
          const replies = await post(body, what);
          if (!Array.isArray(replies)) {
            // Some providers answer a whole batch with one error object.
            unwrap(replies as JsonRpcReply, what);
            throw new RpcTransportError('RPC answered a batch with a single reply', {
              method: what,
            });
          }
          const byId = new Map((replies as JsonRpcReply[]).map((reply) => [reply?.id, reply]));
          return slice.map((call, i) => unwrap<T>(byId.get(first + i), call.method));
        });
        results.push(...answers);
      }
      return results;
    },
  };
}
