import { error, redirect } from '@sveltejs/kit';

import type { RequestHandler } from './$types';

/** The address form's target: works without JavaScript. */
export const GET: RequestHandler = ({ url }) => {
  const address = url.searchParams.get('address')?.trim() ?? '';
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) error(400, 'Enter a 0x address of 40 hex digits.');
  redirect(303, `/account/${address}`);
};
