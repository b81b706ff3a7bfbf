import { notificationsPage } from '$lib/server/notifier';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ cookies, depends }) => {
  depends('charter:notifications');
  return notificationsPage(cookies);
};
