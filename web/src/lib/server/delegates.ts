import { checkDelegateStatement } from '@charter/contracts/protocol';
import { error } from '@sveltejs/kit';

import { createIndexerClient, IndexerError, type StatementPublication } from '$lib/indexer';
import { config } from './config';
import { indexer, read } from './indexer';
import { renderMarkdown } from './markdown';
import { address, cursor, pick, text } from './params';
import { noteRead } from './readBlocks';

/**
 * The indexer read without this server's block caches, for what shows statements: a statement is stored
 * without a new block, and the page that published it reloads before this server hears of it on the
 * stream, so such a read must not be shared or reused (the indexer's own cache knows of statements at
 * once). `noteRead(NaN)` keeps the page out of the page cache.
 */
const fresh = createIndexerClient(config.indexerUrl);
const readFresh = <T>(call: Promise<T>): Promise<T> => {
  noteRead(NaN);
  return read(call);
};

/** A statement's first line, as plain text, for the leaderboard (the page renders the whole). */
export function statementSummary(markdown: string, max = 140): string {
  const line =
    markdown
      .split('\n')
      .map((l) =>
        l
          .replace(/<[^>]*>/g, '')
          .replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)/, '')
          .replace(/[*_`~]+/g, '')
          .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
          .trim(),
      )
      .find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Delegates by voting power or by number of delegators, each with its interests and first line. */
export async function delegateList(search: URLSearchParams) {
  const filters = {
    sort: pick(search.get('sort'), ['power', 'delegators'] as const) ?? 'power',
    q: text(search.get('q')),
  };
  const page = await readFresh(
    fresh.delegates.list({ ...filters, cursor: cursor(search.get('cursor')), limit: 50 }),
  );
  return {
    filters,
    page: {
      ...page,
      items: page.items.map((item) => ({
        ...item,
        summary: item.statement ? statementSummary(item.statement.statement) : null,
      })),
    },
  };
}

/** One delegate, who delegates to it, and its statement (rendered through the sanitizer) with history. */
export async function delegatePage(raw: string, search = new URLSearchParams()) {
  const who = address(raw);
  if (!who) error(404, 'Not an address');
  const [delegate, account, history] = await Promise.all([
    readFresh(fresh.delegates.get(who)),
    read(indexer.accounts.get(who)),
    readFresh(
      fresh.delegates.statements(who, { limit: 20, cursor: cursor(search.get('history')) }),
    ),
  ]);
  return {
    delegate,
    account,
    statementHtml: delegate.statement ? renderMarkdown(delegate.statement.statement) : null,
    history: {
      nextCursor: history.nextCursor,
      items: history.items.map((version) => ({
        version: version.version,
        issuedAt: version.issuedAt,
        interests: version.interests,
        signature: version.signature,
        html: renderMarkdown(version.statement),
      })),
    },
  };
}

/** An account: balance, voting power, its delegate, and the votes it cast. */
export async function accountPage(raw: string) {
  const who = address(raw);
  if (!who) error(404, 'Not an address');
  return { account: await read(indexer.accounts.get(who)) };
}

/** What `publishStatement` answers: the indexer's answer, or its refusal in words. */
export type PublishAnswer =
  | { status: 201; body: { version: number; issuedAt: number } }
  | {
      status: number;
      body: { error: string; parameter?: string; message: string };
      /** The indexer's `Retry-After` on a refusal (429: a version too soon after the last). */
      retryAfter?: string;
    };

/**
 * Forwards a statement the browser signed to the indexer, after the protocol's own check (the same the
 * indexer makes) so a bad field is named before anything is sent. A refusal comes back with the indexer's
 * status, words and `Retry-After`.
 */
export async function publishStatement(input: unknown): Promise<PublishAnswer> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      status: 400,
      body: { error: 'bad_request', parameter: 'body', message: 'must be a JSON object' },
    };
  }
  const fields = input as Record<string, unknown>;
  const [problem] = checkDelegateStatement({
    delegate: fields.delegate,
    statement: fields.statement,
    interests: fields.interests,
    issuedAt: fields.issuedAt,
    signature: fields.signature ?? null,
  });
  if (problem) {
    return {
      status: 400,
      body: { error: 'bad_request', parameter: problem.field, message: problem.message },
    };
  }
  const publication: StatementPublication = {
    statement: fields.statement as string,
    interests: fields.interests as string[],
    issuedAt: fields.issuedAt as number,
    signature: fields.signature as string,
  };
  // The client's error has the indexer's status and words but not its headers: they are kept here.
  let retryAfter: string | null = null;
  const publisher = createIndexerClient(config.indexerUrl, {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      retryAfter = response.headers.get('retry-after');
      return response;
    },
  });
  try {
    const stored = await publisher.delegates.publishStatement(
      fields.delegate as string,
      publication,
    );
    return { status: 201, body: { version: stored.version, issuedAt: stored.issuedAt } };
  } catch (cause) {
    if (cause instanceof IndexerError) {
      return {
        status: cause.status,
        body: {
          error: cause.code ?? 'indexer_error',
          ...(cause.parameter ? { parameter: cause.parameter } : {}),
          message: cause.message,
        },
        ...(retryAfter !== null && { retryAfter }),
      };
    }
    return {
      status: 503,
      body: { error: 'indexer_unreachable', message: 'The indexer is not reachable.' },
    };
  }
}
