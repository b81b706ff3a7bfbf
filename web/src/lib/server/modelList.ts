import { registeredModelStatuses } from '@charter/contracts/protocol';

import { indexer, read } from './indexer';
import { cursor, pick, text } from './params';

/** Families with their approved version, and model versions filtered by family, status and text. */
export async function modelList(search: URLSearchParams) {
  const filters = {
    family: text(search.get('family')),
    status: pick(search.get('status'), registeredModelStatuses),
    q: text(search.get('q')),
  };
  const [families, page, suspended] = await Promise.all([
    read(indexer.families.list()),
    read(indexer.models.list({ ...filters, cursor: cursor(search.get('cursor')), limit: 50 })),
    read(indexer.models.list({ status: 'suspended', limit: 50 })),
  ]);
  return { families, filters, page, suspended: suspended.items };
}
