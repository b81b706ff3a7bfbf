import { error } from '@sveltejs/kit';

import { indexer, read } from './indexer';
import { address, cursor, pick, text } from './params';

/** Delegates by voting power or by number of delegators. */
export async function delegateList(search: URLSearchParams) {
  const filters = {
    sort: pick(search.get('sort'), ['power', 'delegators'] as const) ?? 'power',
    q: text(search.get('q')),
  };
  const page = await read(
    indexer.delegates.list({ ...filters, cursor: cursor(search.get('cursor')), limit: 50 }),
  );
  return { filters, page };
}

/** One delegate and who delegates to it. */
export async function delegatePage(raw: string) {
  const who = address(raw);
  if (!who) error(404, 'Not an address');
  const [delegate, account] = await Promise.all([
    read(indexer.delegates.get(who)),
    read(indexer.accounts.get(who)),
  ]);
  return { delegate, account };
}

/** An account: balance, voting power, its delegate, and the votes it cast. */
export async function accountPage(raw: string) {
  const who = address(raw);
  if (!who) error(404, 'Not an address');
  return { account: await read(indexer.accounts.get(who)) };
}
