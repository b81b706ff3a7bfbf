import { overview } from '$lib/server/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => overview();
