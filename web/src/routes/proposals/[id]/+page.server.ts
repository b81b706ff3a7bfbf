import { proposalPage } from '$lib/server/proposalPage';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, url }) => proposalPage(params.id, url.searchParams);
