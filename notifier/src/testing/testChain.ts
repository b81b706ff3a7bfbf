import {
  anvilPrivateKey,
  deployCharter,
  DevChain,
  startAnvil,
  type Anvil,
  type Deployment,
} from '@charter/contracts';
import { devAccountNames } from '@charter/contracts/dev-accounts';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { startNotifier, type Notifier } from '../startNotifier';

export interface TestChain {
  anvil: Anvil;
  deployment: Deployment;
  chain: DevChain;
  /** anvil's accounts: 0 deploys and holds most tokens; 1–3 hold 10k, 20k, 50k, delegated to themselves. */
  keys: Hex[];
  address: (index: number) => Hex;
  /** Sends a raw JSON-RPC request to anvil (evm_snapshot, evm_revert, evm_mine). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The evidence game for tests: results count two minutes after they are posted, a bond of 1 ETH, disputes
 * of 0.1 ETH.
 */
export const testEvidenceGame = {
  challengePeriod: 120,
  minBond: parseEther('1'),
  disputeBond: parseEther('0.1'),
  unbondingDelay: 600,
  resolutionTimeout: 3600,
  disputerShareBps: 4000,
};

/**
 * anvil with Charter deployed (a minute's voting delay, ten minutes of voting; the dev accounts' security
 * council as guardian and resolver) and three token holders.
 */
export async function startTestChain(): Promise<TestChain> {
  const anvil = await startAnvil();
  const keys = devAccountNames.map((_, i) => anvilPrivateKey(i));
  const council = privateKeyToAccount(keys[devAccountNames.indexOf('security council')]!).address;
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: keys[0]!,
    config: {
      votingDelay: 60,
      votingPeriod: 600,
      lateQuorumVoteExtension: 300,
      timelockDelay: 60,
      proposalGuardian: council,
      evidenceGame: testEvidenceGame,
      resolver: council,
    },
    warn: () => {},
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  for (const [i, amount] of ['10000', '20000', '50000'].entries()) {
    await chain.fund(keys[0]!, keys[i + 1]!, parseEther(amount));
  }
  await chain.fund(keys[0]!, keys[0]!, 0n);
  const request = chain.public.request as (request: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  return {
    anvil,
    deployment,
    chain,
    keys,
    address: (index) => privateKeyToAccount(keys[index]!).address.toLowerCase() as Hex,
    rpc: (method, params = []) => request({ method, params }),
    stop: () => anvil.stop(),
  };
}

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
