// End to end on anvil with the bundled models and an indexer in this process: a guarded model loads only
// when approved, classifies while it is, and stops within seconds once the guardian suspends it, both
// through the library and through the example server (examples/guarded-classifier) run as a child process;
// without the stream, a governance revocation is learned when the cached verdict expires.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  action,
  anvilPrivateKey,
  approvalAction,
  deployCharter,
  DevChain,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  startAnvil,
  writeDeployment,
  type Anvil,
} from '@charter/contracts';
import { devAccountNames } from '@charter/contracts/dev-accounts';
import { parseWad, shortNameToBytes32 } from '@charter/contracts/protocol';
import type { Indexer } from '@charter/indexer';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { modelDigest } from '../models/modelDigest.js';
import { connectCharter, type CharterConnection } from '../onchain/connect.js';
import { suiteRegistration } from '../onchain/evidence.js';
import { submitResult } from '../onchain/submitResult.js';
import { evaluateModel } from '../run/evaluateModel.js';
import { loadSuite } from '../suites/loadSuite.js';
import { startWatcherIndexer } from '../testing/watcherChain.js';
import { ModelNotApprovedError } from './errors.js';
import { loadGuardedModel } from './loadGuardedModel.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const SERVER = new URL('../../../examples/guarded-classifier/server.ts', import.meta.url).pathname;
const POLICY = shortNameToBytes32('no-over-blocking');
const [deployer, alice, bob, evaluatorKey] = [0, 1, 2, 6].map(anvilPrivateKey) as [
  Hex,
  Hex,
  Hex,
  Hex,
];
const councilKey = anvilPrivateKey(devAccountNames.indexOf('security council'));
const SPAM = 'WIN a FREE prize!!! Click now to claim your cash reward, limited offer';

let anvil: Anvil;
let chain: DevChain;
let indexer: Indexer;
let reader: CharterConnection;
let deploymentFile: string;
const v2 = join(MODELS, 'mail-guard-v2');
const v1 = join(MODELS, 'mail-guard-v1');

beforeAll(async () => {
  anvil = await startAnvil();
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer,
    config: { proposalGuardian: privateKeyToAccount(councilKey).address },
    warn: () => {}, // the guardian is a dev account without code, on purpose
  });
  chain = new DevChain(anvil.rpcUrl, deployment);
  deploymentFile = writeDeployment(deployment, await mkdtemp(join(tmpdir(), 'guard-')));
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));
  const { evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;

  // The smallest policy that can approve: one rule on the over-blocking suite.
  const suite = await loadSuite('over-blocking');
  const registration = suiteRegistration(suite);
  await chain.govern(
    alice,
    [alice, bob],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        registration.suiteId,
        registration.datasetDigest,
        registration.metricIds,
        'over-blocking',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        privateKeyToAccount(evaluatorKey).address,
        'lab',
      ]),
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        POLICY,
        [
          {
            suiteId: registration.suiteId,
            metricId: shortNameToBytes32('false_positive_rate'),
            comparator: 1,
            threshold: parseWad('0.15'),
          },
        ],
        1,
        30 * 86_400,
        '',
      ]),
      action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', ['mail-guard', POLICY]),
    ],
    'Set up',
  );
  await chain.bond(evaluatorKey);
  for (const [version, dir] of [
    ['v1', v1],
    ['v2', v2],
  ] as const) {
    await chain.confirm(
      chain.wallet(alice).writeContract({
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: [
          'mail-guard',
          version,
          await modelDigest(dir),
          `file://${dir}`,
          `0x${'0'.repeat(64)}`,
        ],
      }),
    );
  }
  const evaluator = connectCharter({
    rpcUrl: anvil.rpcUrl,
    deployment,
    privateKey: evaluatorKey,
  });
  await submitResult(evaluator, await evaluateModel({ suite, modelDir: v2 }), 'file:///r.json');
  await chain.passChallengeWindow();
  await chain.govern(
    alice,
    [alice, bob],
    [await approvalAction(chain, await modelDigest(v2))],
    'Approve v2',
  );

  reader = connectCharter({ rpcUrl: anvil.rpcUrl, deployment });
  indexer = await startWatcherIndexer(anvil, chain);
}, 300_000);
afterAll(async () => {
  await indexer?.stop();
  await anvil?.stop();
});

describe('loadGuardedModel', () => {
  it('refuses an artifact that is not approved, naming its status', async () => {
    const candidate = loadGuardedModel(v1, { connection: reader });
    await expect(candidate).rejects.toThrow(ModelNotApprovedError);
    await expect(candidate).rejects.toThrow(
      /status: candidate.*mail-guard v1 .* is candidate, not approved/,
    );

    // One changed byte: a different artifact, unknown to the registry.
    const copy = join(await mkdtemp(join(tmpdir(), 'tampered-')), 'mail-guard-v2');
    await cp(v2, copy, { recursive: true });
    await appendFile(join(copy, 'config.json'), ' ');
    await expect(loadGuardedModel(copy, { connection: reader })).rejects.toThrow(
      /status: unknown.* is not a registered model version/,
    );
  }, 60_000);

  it('classifies while approved; the example server and the library stop within seconds of a suspension', async () => {
    // A verdict trusted for ten minutes: only the indexer's stream can tell them in time.
    const model = await loadGuardedModel(v2, {
      connection: reader,
      indexer: indexer.url,
      verdictTtlMs: 600_000,
    });
    const server = await startServer();
    try {
      expect((await model.verdict()).status).toBe('approved');
      const [prediction] = await model.classify(SPAM);
      expect(prediction).toMatchObject({ label: expect.any(String), score: expect.any(Number) });

      const served = await post(server.url, SPAM);
      expect(served.status).toBe(200);
      expect(served.body).toMatchObject({ label: prediction!.label, model: model.digest });
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await post(server.url, '')).status).toBe(400);

      await chain.send(councilKey, {
        address: chain.deployment.contracts.modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'suspend',
        args: [model.digest, 'reports of mail lost in production'],
      });
      const suspendedAt = Date.now();

      await expect
        .poll(() => model.classify(SPAM).catch((e: Error) => e), { timeout: 5_000 })
        .toBeInstanceOf(ModelNotApprovedError);
      await expect(model.classify(SPAM)).rejects.toThrow(
        /status: suspended.* is suspended until .* UTC \(reports of mail lost in production\)/,
      );
      await expect
        .poll(async () => (await post(server.url, SPAM)).status, { timeout: 5_000 })
        .toBe(503);
      const refused = await post(server.url, SPAM);
      expect(refused.body).toMatchObject({
        status: 'suspended',
        error: expect.stringMatching(/is suspended until/),
      });
      expect((await fetch(`${server.url}/health`)).status).toBe(503);
      console.log(`stopped serving ${Date.now() - suspendedAt} ms after the suspension was mined`);
    } finally {
      server.child.kill('SIGTERM');
      await model.close();
    }
  }, 120_000);

  it('trusts a verdict for verdictTtlMs, then reads it again: a revocation by governance', async () => {
    const digest = await modelDigest(v2);
    await chain.send(councilKey, {
      address: chain.deployment.contracts.modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'liftSuspension',
      args: [digest],
    });
    // Neither follows the indexer: one trusts its verdict for ten minutes, the other for 200 ms.
    const cached = await loadGuardedModel(v2, { connection: reader, verdictTtlMs: 600_000 });
    const fresh = await loadGuardedModel(v2, { connection: reader, verdictTtlMs: 200 });
    try {
      await expect(fresh.classify(SPAM)).resolves.toHaveLength(1);
      await chain.govern(
        alice,
        [alice, bob],
        [
          action(chain.deployment.contracts.modelRegistry, modelRegistryAbi, 'revoke', [
            digest,
            'leaks training data',
          ]),
        ],
        'Revoke mail-guard v2',
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
      await expect(fresh.classify(SPAM)).rejects.toThrow(
        /status: revoked.* is revoked, not approved/,
      );
      expect((await fresh.verdict()).status).toBe('revoked');
      await expect(cached.classify(SPAM)).resolves.toHaveLength(1);
      expect((await cached.verdict()).status).toBe('approved');
      await expect(loadGuardedModel(v2, { connection: reader })).rejects.toThrow(/status: revoked/);
    } finally {
      await Promise.all([cached.close(), fresh.close()]);
    }
  }, 120_000);
});

async function post(url: string, text: string) {
  const response = await fetch(`${url}/classify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The example server on a free port, once it says it is listening. */
async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      RPC_URL: anvil.rpcUrl,
      INDEXER_URL: indexer.url,
      CHARTER_DEPLOYMENT: deploymentFile,
      PORT: '0',
      VERDICT_TTL_MS: '600000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const event = JSON.parse(line) as { event: string; port?: number; message?: string };
    if (event.event === 'listening') {
      child.stdout!.resume(); // its later lines are not read: let them drain
      return { child, url: `http://127.0.0.1:${event.port}` };
    }
    if (event.event === 'refused') throw new Error(`the example server refused: ${event.message}`);
  }
  throw new Error('the example server exited before listening');
}
