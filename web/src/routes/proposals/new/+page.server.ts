import { proposalFormOptions } from '$lib/server/proposalFormOptions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => proposalFormOptions();
