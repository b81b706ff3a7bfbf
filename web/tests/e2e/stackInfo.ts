import { readFileSync } from 'node:fs';

import type { Deployment } from '@charter/contracts';

/** What tests/e2e/stack.ts started and seeded. */
export interface Stack {
  webUrl: string;
  indexerUrl: string;
  rpcUrl: string;
  deployment: Deployment;
  proposals: { approve: string; revoke: string; xss: string };
  models: { v1: string; v2: string };
  user: number;
  /** The security council's dev-account index: the proposal guardian. */
  guardian: number;
  accounts: string[];
}

export const stack = (): Stack =>
  JSON.parse(readFileSync(new URL('../../.data/e2e/stack.json', import.meta.url), 'utf8')) as Stack;
