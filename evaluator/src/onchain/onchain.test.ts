// On anvil, through the real deploy routine and governance: submit, signed relay, the policy verdicts,
// check (approved, and suspended by the guardian), and every refusal that must leave the chain untouched.
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
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
import { parseWad, shortHex, shortNameToBytes32 } from '@charter/contracts/protocol';
import { decodeErrorResult, parseEther, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { evaluateModel } from '../run/evaluateModel.js';
import type { Report } from '../reports/types.js';
import { listSuites } from '../suites/listSuites.js';
import { checkModel } from './checkModel.js';
import { connectCharter } from './connect.js';
import { NotAdmittedError, OnChainExitCode, SuiteNotRegisteredError } from './errors.js';
import { suiteRegistration } from './evidence.js';
import { relaySubmission, signSubmission } from './signSubmission.js';
import { submitResult } from './submitResult.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const POLICY = stringToHex('mail-safety', { size: 32 });
const [deployer, alice, bob, evaluatorKey, relayerKey, strangerKey] = [0, 1, 2, 6, 8, 9].map(
  anvilPrivateKey,
) as [Hex, Hex, Hex, Hex, Hex, Hex];
const councilKey = anvilPrivateKey(devAccountNames.indexOf('security council'));
const MAX_SUSPENSION = 60 * 60 * 24 * 14;

let anvil: Anvil;
let chain: DevChain;
const reports: Record<'v1' | 'v2', Report[]> = { v1: [], v2: [] };
const digests: Record<'v1' | 'v2', Hex> = { v1: '0x', v2: '0x' };

beforeAll(async () => {
  anvil = await startAnvil();
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer,
    config: {
      proposalGuardian: privateKeyToAccount(councilKey).address,
      maxSuspension: MAX_SUSPENSION,
    },
    warn: () => {}, // the guardian is a dev account without code, on purpose
  });
  chain = new DevChain(anvil.rpcUrl, deployment);
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));
  const { evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;

  const suites = (await listSuites()).filter((s) => s.suite.task === 'text-classification');
  const byName = new Map(suites.map((s) => [s.suite.name, s]));
  await chain.govern(
    alice,
    [alice, bob],
    [
      ...suites.map((s) => {
        const r = suiteRegistration(s);
        return action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
          r.suiteId,
          r.datasetDigest,
          r.metricIds,
          s.suite.name,
        ]);
      }),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        privateKeyToAccount(evaluatorKey).address,
        'lab',
      ]),
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        POLICY,
        [
          rule(byName.get('spam-detection')!.id, 'f1', 0, 0.9),
          rule(byName.get('over-blocking')!.id, 'false_positive_rate', 1, 0.15),
          rule(byName.get('robustness')!.id, 'recall', 0, 0.85),
        ],
        1,
        30 * 24 * 60 * 60,
        '',
      ]),
      action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', ['mail-guard', POLICY]),
    ],
    'Set up mail safety',
  );
  // Results count only from a bonded evaluator (and once their challenge window has passed).
  await chain.bond(evaluatorKey);

  for (const version of ['v1', 'v2'] as const) {
    const dir = join(MODELS, `mail-guard-${version}`);
    for (const suite of suites)
      reports[version].push(await evaluateModel({ suite, modelDir: dir }));
    digests[version] = reports[version][0]!.model.digest;
    await chain.confirm(
      chain.wallet(alice).writeContract({
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: ['mail-guard', version, digests[version], `file://${dir}`, `0x${'0'.repeat(64)}`],
      }),
    );
  }
}, 300_000);
afterAll(() => anvil?.stop());

function rule(suiteId: Hex, metric: string, comparator: number, threshold: number) {
  return {
    suiteId,
    metricId: shortNameToBytes32(metric),
    comparator,
    threshold: parseWad(String(threshold)),
  };
}

const checkPolicy = (modelId: Hex) =>
  chain.public.readContract({
    address: chain.deployment.contracts.policyRegistry,
    abi: policyRegistryAbi,
    functionName: 'checkPolicy',
    args: [modelId, POLICY],
  });

describe('submit', () => {
  it('posts both versions; the contracts pass v2 and fail v1 naming the rule', async () => {
    const evaluator = connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: evaluatorKey,
    });
    for (const report of [...reports.v1, ...reports.v2]) {
      expect((await submitResult(evaluator, report, 'file:///reports/x.json')).status).toBe(
        'submitted',
      );
    }
    await chain.passChallengeWindow();
    expect((await checkPolicy(digests.v2))[0]).toBe(true);

    const [met, , failure] = await checkPolicy(digests.v1);
    expect(met).toBe(false);
    const error = decodeErrorResult({ abi: policyRegistryAbi, data: failure });
    expect(error.errorName).toBe('PolicyRegistryThresholdNotMet');
    expect(error.args?.[0]).toBe(0n); // rule 0: spam-detection f1 >= 0.90
    expect(error.args?.[1]).toBe(shortNameToBytes32('f1'));
  }, 120_000);

  it('does not post a result that is already on-chain', async () => {
    const evaluator = connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: evaluatorKey,
    });
    const before = await chain.public.getBlockNumber();
    expect((await submitResult(evaluator, reports.v2[0]!, 'file:///again.json')).status).toBe(
      'already-on-chain',
    );
    expect(await chain.public.getBlockNumber()).toBe(before);
  });

  it('refuses a key that is not an admitted evaluator, sending nothing', async () => {
    const stranger = connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: strangerKey,
    });
    const before = await chain.public.getBlockNumber();
    await expect(submitResult(stranger, reports.v2[0]!, 'file:///x.json')).rejects.toThrow(
      NotAdmittedError,
    );
    await expect(submitResult(stranger, reports.v2[0]!, 'file:///x.json')).rejects.toThrow(
      /is not an admitted evaluator/,
    );
    expect(await chain.public.getBlockNumber()).toBe(before);
  });

  it('refuses a report whose suite is not registered with its dataset, sending nothing', async () => {
    const evaluator = connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: evaluatorKey,
    });
    const changed = structuredClone(reports.v2[1]!);
    changed.suite.datasetDigest = `0x${'ab'.repeat(32)}`;
    await expect(submitResult(evaluator, changed, 'file:///x.json')).rejects.toThrow(
      SuiteNotRegisteredError,
    );
    changed.suite.id = `0x${'cd'.repeat(32)}`;
    await expect(submitResult(evaluator, changed, 'file:///x.json')).rejects.toThrow(
      /is not registered on-chain/,
    );
  });

  it('relays a result signed by the evaluator, paid by someone else', async () => {
    const evaluator = connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: evaluatorKey,
    });
    const relayer = connectCharter({
      rpcUrl: anvil.rpcUrl,
      deployment: chain.deployment,
      privateKey: relayerKey,
    });
    await expect(signSubmission(evaluator, reports.v2[1]!, 'file:///x.json')).rejects.toThrow(
      /already on-chain/,
    );

    // A new artifact (one byte of its config changed) has no result yet.
    const copy = await tamperedCopy('mail-guard-v2');
    const report = await evaluateModel({ suite: 'over-blocking', modelDir: copy });
    const signed = await signSubmission(evaluator, report, 'https://reports.example/relayed.json');
    expect(signed.evaluator).toBe(privateKeyToAccount(evaluatorKey).address);
    const relayed = JSON.parse(JSON.stringify(signed)) as typeof signed; // as it travels
    expect((await relaySubmission(relayer, relayed)).status).toBe('submitted');

    // Replaying the same signature is refused by the contract, explained in words.
    await expect(relaySubmission(relayer, signed)).rejects.toThrow(
      /^submitResultWithSignature reverted: The signature is not 0x\w{4}…\w{4}'s for this submission and nonce\.$/,
    );
  }, 60_000);
});

async function tamperedCopy(model: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'tampered-'));
  await cp(join(MODELS, model), copy, { recursive: true });
  await appendFile(join(copy, 'config.json'), ' ');
  return copy;
}

/** `charter-eval check <model> …` against the test chain: its exit code and what it printed. */
async function cli(dir: string, ...args: string[]) {
  const file = writeDeployment(chain.deployment, await mkdtemp(join(tmpdir(), 'deployments-')));
  return promisify(execFile)(
    'npx',
    [
      'tsx',
      'src/cli.ts',
      'check',
      join(MODELS, dir),
      '--rpc-url',
      anvil.rpcUrl,
      '--deployment',
      file,
      ...args,
    ],
    { cwd: new URL('../../', import.meta.url).pathname },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe('check', () => {
  it('says approved only for the approved artifact, and what the others are', async () => {
    await chain.govern(
      alice,
      [alice, bob],
      [await approvalAction(chain, digests.v2)],
      'Approve mail-guard v2',
    );
    const reader = connectCharter({ rpcUrl: anvil.rpcUrl, deployment: chain.deployment });
    const v2 = await checkModel(reader, join(MODELS, 'mail-guard-v2'));
    expect(v2).toMatchObject({
      status: 'approved',
      approved: true,
      family: 'mail-guard',
      version: 'v2',
    });
    expect((await checkModel(reader, join(MODELS, 'mail-guard-v1'))).status).toBe('candidate');

    // One changed byte in a copy of the approved model: a different artifact, unknown to the registry.
    const tampered = await checkModel(reader, await tamperedCopy('mail-guard-v2'));
    expect(tampered).toMatchObject({ status: 'unknown', approved: false });
    expect(tampered.summary).toMatch(/do not load it/);

    // The command line answers with its exit code: 0 only for the approved artifact.
    expect(await cli('mail-guard-v2')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/is approved/),
    });
    expect(await cli('mail-guard-v1')).toMatchObject({
      code: OnChainExitCode.NotApproved,
      stdout: expect.stringMatching(/is candidate, not approved/),
    });

    // Asked about a policy, it names the failing rule as the web app and the API do: numbered from 1,
    // the value at four places.
    const v1 = await cli('mail-guard-v1', '--policy', 'mail-safety');
    expect(v1.code).toBe(OnChainExitCode.NotApproved);
    expect(v1.stdout).toContain(
      'against policy mail-safety v1: Rule 1 is not met: f1 must be at least 0.9; the best result short of it is 0.7165, and 0 of the 1 evaluators required meet it.',
    );
    expect((await cli('mail-guard-v2', '--policy', 'mail-safety')).stdout).toMatch(
      /is approved\nits evidence meets policy mail-safety v1\n$/,
    );
  }, 240_000);

  it('says suspended, until when and why, once the guardian suspends the approved artifact', async () => {
    const { modelRegistry } = chain.deployment.contracts;
    const suspend = {
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'suspend',
      args: [digests.v2, 'reports of mail lost in production'],
    } as const;
    // Only the guardian may: a token holder is refused.
    await expect(
      chain.public.simulateContract({ ...suspend, account: privateKeyToAccount(alice) }),
    ).rejects.toThrow(/ModelRegistryNotGuardian/);
    await chain.send(councilKey, suspend);
    const suspendedAt = Number(await chain.now());

    const reader = connectCharter({ rpcUrl: anvil.rpcUrl, deployment: chain.deployment });
    const v2 = await checkModel(reader, join(MODELS, 'mail-guard-v2'));
    expect(v2).toMatchObject({
      status: 'suspended',
      approved: false,
      suspendedUntil: suspendedAt + MAX_SUSPENSION,
      suspensionReason: 'reports of mail lost in production',
    });
    const until = new Date((suspendedAt + MAX_SUSPENSION) * 1000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    expect(v2.summary).toBe(
      `mail-guard v2 (${shortHex(digests.v2)}) is suspended until ${until} UTC (reports of mail lost in production), not approved: do not load it`,
    );

    // Its own exit code, apart from "not approved".
    const cliV2 = await cli('mail-guard-v2');
    expect(cliV2.code).toBe(OnChainExitCode.Suspended);
    expect(cliV2.stdout).toContain(`is suspended until ${until} UTC`);
    expect((await cli('mail-guard-v1')).code).toBe(OnChainExitCode.NotApproved);

    // Lifted by the guardian: approved again.
    await chain.send(councilKey, {
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'liftSuspension',
      args: [digests.v2],
    });
    expect(await checkModel(reader, join(MODELS, 'mail-guard-v2'))).toMatchObject({
      status: 'approved',
      approved: true,
    });
    expect((await cli('mail-guard-v2')).code).toBe(0);
  }, 240_000);
});
