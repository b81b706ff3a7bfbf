import type { Deployment } from '@charter/contracts';

/** What globalSetup tells the tests about the stack it started. */
export interface StackInfo {
  url: string;
  indexerUrl: string;
  rpcUrl: string;
  relayerUrl: string;
  notifierUrl: string;
  deployment: Deployment;
}

export function stackInfo(): StackInfo {
  const json = process.env.CHARTER_E2E_STACK;
  if (!json)
    throw new Error('CHARTER_E2E_STACK is unset: run these tests through playwright.config.ts');
  return JSON.parse(json) as StackInfo;
}
