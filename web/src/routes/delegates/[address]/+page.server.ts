import { delegatePage } from '$lib/server/delegates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, url }) =>
  delegatePage(params.address, url.searchParams);
