import { json } from '@sveltejs/kit';

import { renderMarkdown } from '$lib/server/markdown';
import type { RequestHandler } from './$types';

/** The new-proposal form's preview: the description rendered exactly as the proposal page will. */
export const POST: RequestHandler = async ({ request }) => {
  const text = (await request.text()).slice(0, 100_000);
  return json({ html: renderMarkdown(text) });
};
