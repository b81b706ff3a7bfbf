import { resultList } from '$lib/server/evaluations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => resultList(url.searchParams);
