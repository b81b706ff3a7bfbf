import { json } from '@sveltejs/kit';

import { resultReport } from '$lib/server/resultReport';
import type { RequestHandler } from './$types';

/** The samples of a posted result's report, checked against its digest and samples root: the dispute form's. */
export const GET: RequestHandler = async ({ params }) =>
  json(await resultReport(params.id), { headers: { 'cache-control': 'no-store' } });
