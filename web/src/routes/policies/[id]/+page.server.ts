import { policyPage } from '$lib/server/policies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => policyPage(params.id);
