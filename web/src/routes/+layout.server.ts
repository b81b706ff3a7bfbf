import { layoutData } from '$lib/server/layoutData';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ depends }) => {
  depends('charter:chain');
  return layoutData();
};
