import { resultPage } from '$lib/server/evaluations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => resultPage(params.id);
