import { evaluatorPage } from '$lib/server/evaluatorPage';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => evaluatorPage(params.address);
