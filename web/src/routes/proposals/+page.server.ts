import { proposalList } from '$lib/server/proposalList';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => proposalList(url.searchParams);
