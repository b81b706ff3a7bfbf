import type * as T from './types';

/**
 * A failed request: `status` 400 names the `parameter` at fault, 404 means no such thing; `code` is the
 * body's `error` (`wrong_signer`, `stale`, `duplicate`... for a refused statement).
 */
export class IndexerError extends Error {
  override name = 'IndexerError';

  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface IndexerClientOptions {
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | string[] | undefined>;

/** A typed client of the indexer API; it uses only `fetch`, so it runs in browsers and on servers. */
export function createIndexerClient(baseUrl: string, options: IndexerClientOptions = {}) {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function get<R>(path: string, query: Query = {}): Promise<R> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      search.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = search.size ? `?${search}` : '';
    const response = await doFetch(`${base}${path}${qs}`, {
      headers: { accept: 'application/json' },
    });
    const body = (await response.json().catch(() => null)) as T.ApiErrorBody | R | null;
    if (!response.ok && response.status !== 503) {
      const error = body as T.ApiErrorBody | null;
      throw new IndexerError(
        response.status,
        error?.message ?? response.statusText,
        error?.parameter,
        error?.error,
      );
    }
    return body as R;
  }

  async function post<R>(path: string, json: unknown): Promise<R> {
    const response = await doFetch(`${base}${path}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    const body = (await response.json().catch(() => null)) as T.ApiErrorBody | R | null;
    if (!response.ok) {
      const error = body as T.ApiErrorBody | null;
      throw new IndexerError(
        response.status,
        error?.message ?? response.statusText,
        error?.parameter,
        error?.error,
      );
    }
    return body as R;
  }
  const id = (value: string) => encodeURIComponent(value);

  return {
    health: () => get<T.Health>('/health'),
    ready: () => get<T.Readiness>('/ready'),
    governance: () => get<T.Governance>('/governance'),
    openapi: () => get<Record<string, unknown>>('/openapi.json'),
    proposals: {
      list: (params: T.ProposalListParams = {}) =>
        get<T.AtBlock<T.Page<T.ProposalSummary>>>('/proposals', { ...params }),
      get: (proposalId: string) => get<T.AtBlock<T.Proposal>>(`/proposals/${id(proposalId)}`),
      votes: (proposalId: string, params: T.VoteListParams = {}) =>
        get<T.AtBlock<T.Page<T.Vote>>>(`/proposals/${id(proposalId)}/votes`, { ...params }),
    },
    delegates: {
      list: (params: T.DelegateListParams = {}) =>
        get<T.AtBlock<T.Page<T.Delegate>>>('/delegates', { ...params }),
      get: (address: string) => get<T.AtBlock<T.DelegateDetail>>(`/delegates/${id(address)}`),
      /** Every version of an address's statement, newest first. */
      statements: (address: string, params: T.ListParams = {}) =>
        get<T.AtBlock<T.Page<T.StatementVersion>>>(`/delegates/${id(address)}/statements`, {
          ...params,
        }),
      /**
       * Publishes a statement `address` signed (`delegateStatementTypedData` from the protocol); throws
       * an `IndexerError` saying what was wrong (400 a field, 401 the signer, 409 stale or duplicate).
       */
      publishStatement: (address: string, publication: T.StatementPublication) =>
        post<T.PublishedStatementVersion>(`/delegates/${id(address)}/statements`, publication),
    },
    accounts: {
      get: (address: string) => get<T.AtBlock<T.Account>>(`/accounts/${id(address)}`),
    },
    models: {
      list: (params: T.ModelListParams = {}) =>
        get<T.AtBlock<T.Page<T.Model>>>('/models', { ...params }),
      get: (modelId: string) => get<T.AtBlock<T.ModelDetail>>(`/models/${id(modelId)}`),
    },
    families: {
      list: () => get<T.Family[]>('/families'),
    },
    policies: {
      list: () => get<T.PolicySummary[]>('/policies'),
      get: (policyId: string) => get<T.AtBlock<T.Policy>>(`/policies/${id(policyId)}`),
    },
    suites: {
      list: () => get<T.Suite[]>('/suites'),
    },
    evaluators: {
      list: () => get<T.Evaluator[]>('/evaluators'),
      get: (address: string) => get<T.AtBlock<T.EvaluatorDetail>>(`/evaluators/${id(address)}`),
    },
    results: {
      list: (params: T.ResultListParams = {}) =>
        get<T.AtBlock<T.Page<T.Result>>>('/results', { ...params }),
      get: (resultId: string) => get<T.AtBlock<T.Result>>(`/results/${id(resultId)}`),
    },
    disputes: {
      list: (params: T.DisputeListParams = {}) =>
        get<T.AtBlock<T.Page<T.Dispute>>>('/disputes', { ...params }),
      get: (disputeId: number | string) =>
        get<T.AtBlock<T.Dispute>>(`/disputes/${id(String(disputeId))}`),
    },

    /**
     * Calls `onChange` for every change the indexer commits and `handlers.onBlock` after every commit
     * (with the block now indexed, also when nothing changed), reconnecting after a dropped connection.
     * Returns a function that stops listening.
     */
    subscribe(
      onChange: (change: T.Change) => void,
      handlers: {
        onError?: (error: unknown) => void;
        onOpen?: () => void;
        onBlock?: (block: T.IndexedBlock) => void;
      } = {},
    ): () => void {
      const controller = new AbortController();
      const listen = async () => {
        while (!controller.signal.aborted) {
          try {
            const response = await doFetch(`${base}/stream`, {
              headers: { accept: 'text/event-stream' },
              signal: controller.signal,
            });
            if (!response.ok || !response.body) {
              throw new IndexerError(response.status, 'the stream is unavailable');
            }
            handlers.onOpen?.();
            await readServerSentEvents(response.body, (event, data) => {
              if (event === 'change') onChange(JSON.parse(data) as T.Change);
              else if (event === 'block') handlers.onBlock?.(JSON.parse(data) as T.IndexedBlock);
            });
          } catch (error) {
            if (controller.signal.aborted) return;
            handlers.onError?.(error);
          }
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      };
      void listen();
      return () => controller.abort();
    },
  };
}

export type IndexerClient = ReturnType<typeof createIndexerClient>;

/**
 * Reads Server-Sent Events from a byte stream until it ends. `onBytes` hears every chunk, comments (the
 * server's heartbeats) included, for a reader that watches the connection's liveness.
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
  onBytes?: () => void,
): Promise<void> {
  // A streaming TextDecoder rather than TextDecoderStream: its types agree under DOM and Node libs.
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes?.();
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
  }
}
