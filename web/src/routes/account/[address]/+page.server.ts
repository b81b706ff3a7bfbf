import { accountPage } from '$lib/server/delegates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => accountPage(params.address);
