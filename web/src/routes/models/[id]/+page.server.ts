import { modelPage } from '$lib/server/modelPage';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => modelPage(params.id);
