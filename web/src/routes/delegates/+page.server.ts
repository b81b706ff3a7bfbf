import { delegateList } from '$lib/server/delegates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => delegateList(url.searchParams);
