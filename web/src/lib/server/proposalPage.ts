import { voteSupports } from '@charter/contracts/protocol';
import { error } from '@sveltejs/kit';

import type { Dispute } from '$lib/indexer';
import { indexer, read } from './indexer';
import { descriptionBody, renderMarkdown } from './markdown';
import { evaluatorNames } from './names';
import { cursor, pick } from './params';

export const VOTES_PER_PAGE = 25;

/**
 * A proposal with its rendered description and one page of votes. The page asks for one page of votes
 * only, so rendering costs the same whatever the number of votes.
 */
export async function proposalPage(id: string, search: URLSearchParams) {
  if (!/^\d{1,78}$/.test(id)) error(404, 'No such proposal');
  const support = pick(search.get('support'), voteSupports);
  const sort = pick(search.get('sort'), ['newest', 'weight'] as const) ?? 'weight';
  const [proposal, votes, evaluators] = await Promise.all([
    read(indexer.proposals.get(id)),
    read(
      indexer.proposals.votes(id, {
        support,
        sort,
        cursor: cursor(search.get('votes')),
        limit: VOTES_PER_PAGE,
      }),
    ),
    evaluatorNames(),
  ]);
  const disputes = proposal.evidence
    ? await read(indexer.disputes.list({ model: proposal.evidence.modelId, limit: DISPUTES_SHOWN }))
    : null;
  return {
    /** The indexed block this page's data was read at (the older of its reads). */
    indexedBlock: Math.min(
      proposal.indexedBlock,
      votes.indexedBlock,
      disputes?.indexedBlock ?? Infinity,
    ),
    proposal,
    descriptionHtml: renderMarkdown(descriptionBody(proposal.description)),
    votes,
    voteFilter: { support: support ?? null, sort },
    evaluators,
    disputes: byResult(disputes?.items ?? []),
  };
}

/** The most disputes of one model the evidence panel shows (the newest; the evaluation pages list all). */
const DISPUTES_SHOWN = 100;

/** Disputes by the result version they dispute ("resultId:reportDigest"), oldest first. */
function byResult(disputes: Dispute[]): Record<string, Dispute[]> {
  const grouped: Record<string, Dispute[]> = {};
  for (const d of disputes.toSorted((a, b) => a.id - b.id)) (grouped[d.result] ??= []).push(d);
  return grouped;
}
