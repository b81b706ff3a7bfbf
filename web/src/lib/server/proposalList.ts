import { proposalKinds, proposalStates } from '@charter/contracts/protocol';

import { indexer, read } from './indexer';
import { cursor, pick, pickList, text } from './params';

const sorts = ['newest', 'oldest', 'ending'] as const;

/** Proposals filtered by state, kind and text, a page at a time. */
export async function proposalList(search: URLSearchParams) {
  const filters = {
    state: pickList(search.get('state'), proposalStates),
    kind: pick(search.get('kind'), proposalKinds),
    q: text(search.get('q')),
    sort: pick(search.get('sort'), sorts) ?? 'newest',
  };
  const page = await read(
    indexer.proposals.list({
      state: filters.state.length ? filters.state : undefined,
      kind: filters.kind,
      q: filters.q,
      sort: filters.sort,
      cursor: cursor(search.get('cursor')),
      limit: 25,
    }),
  );
  return { filters, page };
}
