import { submitOptions } from '$lib/server/evaluations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => submitOptions();
