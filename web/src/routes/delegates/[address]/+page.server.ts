import { delegatePage } from '$lib/server/delegates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => delegatePage(params.address);
