import type { Vote } from '$lib/indexer';
import { indexer, read } from './indexer';

/** How many votes `GET /accounts/:address` lists, newest first. */
const ACCOUNT_VOTES = 50;
const PAGE = 200;

/**
 * The vote `voter` cast on proposal `proposalId`, or null. Read per request by the browser, so that the
 * proposal page itself stays the same for everyone (and cacheable).
 */
export async function voteOf(proposalId: string, voter: string): Promise<Vote | null> {
  const account = await read(indexer.accounts.get(voter));
  const recent = account.votes.find((v) => v.proposalId === proposalId);
  if (recent) {
    const { voter: by, support, weight, reason, params, block, tx, at } = recent;
    return { voter: by, support, weight, reason, params, block, tx, at };
  }
  if (account.votes.length < ACCOUNT_VOTES) return null;
  // An account with more recent votes elsewhere: look through the proposal's own votes.
  let cursor: string | undefined;
  do {
    const page = await read(indexer.proposals.votes(proposalId, { limit: PAGE, cursor }));
    const found = page.items.find((v) => v.voter === voter);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
}
