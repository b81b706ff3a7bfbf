import { error } from '@sveltejs/kit';

import { indexer, read } from './indexer';
import { suiteNames } from './names';
import { hex32 } from './params';

/** Every policy with all its versions (policies are few; each version is a handful of rules). */
export async function policyList() {
  const [summaries, suites] = await Promise.all([read(indexer.policies.list()), suiteNames()]);
  const policies = await Promise.all(summaries.map((p) => read(indexer.policies.get(p.id))));
  return { policies, suites };
}

/** One policy's versions, newest first. */
export async function policyPage(id: string) {
  const policyId = hex32(id);
  if (!policyId) error(404, 'No such policy');
  const [policy, suites] = await Promise.all([read(indexer.policies.get(policyId)), suiteNames()]);
  return { policy, suites };
}
