import { modelList } from '$lib/server/modelList';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => modelList(url.searchParams);
