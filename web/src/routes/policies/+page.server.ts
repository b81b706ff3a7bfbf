import { policyList } from '$lib/server/policies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => policyList();
