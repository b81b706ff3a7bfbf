import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger } from '@charter/indexer';
import type { TestChain } from '@charter/indexer/testing';

import type { Ballot } from '../ballots/types';
import type { RelayerOptions } from '../config/config';
import { startRelayer, type Relayer } from '../startRelayer';
import type { SubmitterFaults } from '../queue/createSubmitter';

/** A fresh PGlite data directory, removed by `drop()`. */
export function testDataDir(): { dataDir: string; drop(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'charter-relayer-'));
  return { dataDir, drop: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A relayer paying with the `relayer` dev account on the test chain: any free port, polling every 20 ms. */
export function relayTestChain(
  test: TestChain,
  dataDir: string,
  options: Partial<RelayerOptions> & {
    faults?: SubmitterFaults;
    lines?: string[];
    rebroadcastMs?: number;
  } = {},
): Promise<Relayer> {
  const { lines, ...rest } = options;
  return startRelayer({
    rpcUrl: test.anvil.rpcUrl,
    deployment: test.deployment,
    privateKey: test.key('relayer'),
    dataDir,
    port: 0,
    pollingInterval: 20,
    logger: createLogger('debug', (line) => lines?.push(line)),
    ...rest,
  });
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function post(relayer: Relayer, body: unknown): Promise<Answer> {
  const response = await fetch(`${relayer.url}/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

export async function get<T = Record<string, unknown>>(
  relayer: Relayer,
  path: string,
): Promise<Answer<T>> {
  const response = await fetch(`${relayer.url}${path}`);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

/** Polls a ballot until `done` holds for it, failing after `timeoutMs` with its last state. */
export async function waitForBallot(
  relayer: Relayer,
  id: string,
  done: (ballot: Ballot) => boolean,
  timeoutMs = 20_000,
): Promise<Ballot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await get<Ballot>(relayer, `/ballots/${id}`);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`ballot ${id} stayed ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
