import type { TestChain } from '@charter/indexer/testing';

import { startNotifier, type Notifier } from '../startNotifier';

/** The web app the tests pretend to be: sign-in messages name its host. */
export const testPublicUrl = 'http://charter.test:5173';

/**
 * A notifier following the test chain: any free port, PGlite in memory unless `dataDir` is given, quick
 * polls and a short retry schedule, silent.
 */
export function notifierFor(
  test: TestChain,
  options: Partial<Parameters<typeof startNotifier>[0]> = {},
): Promise<Notifier> {
  return startNotifier({
    rpcUrl: test.anvil.rpcUrl,
    deployment: test.deployment,
    publicUrl: testPublicUrl,
    dataDir: 'memory://',
    port: 0,
    pollingInterval: 20,
    tickMs: 20,
    retrySchedule: [200, 400],
    attemptTimeout: 2_000,
    logLevel: 'silent',
    ...options,
  });
}

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
