import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { deployCharter, DevChain, evidenceRegistryAbi, startAnvil } from '@charter/contracts';
import { parseWad } from '@charter/contracts/protocol';
import {
  checkReport,
  computeMetrics,
  evaluateModel,
  listSuites,
  readReport,
  samplesTree,
  type Report,
} from '@charter/evaluator';
import { parseEventLogs } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { expect, it } from 'vitest';

import { demoAccounts, MAIL_SAFETY_RULES, MODELS_DIR, seedDemoDao } from './demoDao';
import { inflateReport, postInflatedResults } from './dishonestEvaluator';
import { demoDeployConfig } from './start';

it('inflates a real evaluation of mail-guard v1 until it meets mail-safety, consistently', async () => {
  const suite = (await listSuites()).find((loaded) => loaded.suite.name === 'spam-detection')!;
  const honest = await evaluateModel({ suite, modelDir: join(MODELS_DIR, 'mail-guard-v1') });
  const rule = MAIL_SAFETY_RULES.find((r) => r.suite === 'spam-detection')!;
  const f1 = (report: Report) => BigInt(report.metrics.find((m) => m.id === rule.metric)!.value);
  expect(f1(honest)).toBeLessThan(parseWad(rule.threshold));

  const { report, flipped } = inflateReport(honest, [
    { metric: rule.metric, comparator: '>=', threshold: parseWad(rule.threshold) },
  ]);
  expect(f1(report)).toBeGreaterThanOrEqual(parseWad(rule.threshold));
  // Only the flipped samples differ, each now predicted right, with its score on the other side of 0.5.
  const before = new Map(honest.samples.map((s) => [s.id, s]));
  const changed = report.samples.filter((s) => before.get(s.id)!.prediction !== s.prediction);
  expect(changed.map((s) => s.id)).toEqual(flipped);
  expect(flipped.length).toBeGreaterThan(0);
  for (const sample of changed) {
    expect(sample.prediction).toBe(sample.label);
    expect(BigInt(sample.score) + BigInt(before.get(sample.id)!.score)).toBe(10n ** 18n);
  }
  // It checks out against itself: metrics, samples root and digest are those of the altered outcomes.
  const outcomes = report.samples.map((s) => ({ ...s, score: BigInt(s.score) }));
  expect(report.metrics).toEqual(
    computeMetrics(
      outcomes,
      honest.metrics.map((m) => m.id),
    ).map((m) => ({
      id: m.id,
      value: m.value.toString(),
    })),
  );
  expect(report.samplesRoot).toBe(samplesTree(outcomes).root);
  expect(report.samplesRoot).not.toBe(honest.samplesRoot);
  expect(() => checkReport(report)).not.toThrow();
}, 120_000);

it('posts inflated results for mail-guard v1 on every mail-safety suite once, each report at its URI', async () => {
  const anvil = await startAnvil();
  try {
    const deployment = await deployCharter({
      rpcUrl: anvil.rpcUrl,
      privateKey: demoAccounts.deployer,
      config: demoDeployConfig,
      warn: () => {},
    });
    const chain = new DevChain(anvil.rpcUrl, deployment);
    const demo = await seedDemoDao(chain, () => {});
    const options = {
      rpcUrl: anvil.rpcUrl,
      deployment,
      privateKey: demoAccounts.dishonestEvaluator,
      stateDir: mkdtempSync(join(tmpdir(), 'charter-evaluator-three-')),
    };
    await postInflatedResults(options);
    const submitted = parseEventLogs({
      abi: evidenceRegistryAbi,
      eventName: 'ResultSubmitted',
      logs: await chain.public.getLogs({
        address: deployment.contracts.evidenceRegistry,
        fromBlock: 0n,
      }),
    });
    const liar = privateKeyToAccount(demoAccounts.dishonestEvaluator).address;
    const mine = submitted.filter((log) => log.args.evaluator === liar);
    expect(mine).toHaveLength(3);
    const suites = new Map((await listSuites()).map((loaded) => [loaded.id, loaded.suite.name]));
    for (const { args } of mine) {
      expect(args.modelId).toBe(demo.models.v1);
      // The report at the URI is the one the chain names, and it meets its suite's rules.
      const report = await readReport(fileURLToPath(args.uri!));
      expect(report.digest).toBe(args.reportDigest);
      expect(report.samplesRoot).toBe(args.samplesRoot);
      for (const rule of MAIL_SAFETY_RULES.filter((r) => r.suite === suites.get(args.suiteId!))) {
        const value = BigInt(report.metrics.find((m) => m.id === rule.metric)!.value);
        const threshold = parseWad(rule.threshold);
        expect(rule.comparator === 0 ? value >= threshold : value <= threshold).toBe(true);
      }
    }
    // Run again (a restart): nothing is evaluated or posted twice.
    const lines: string[] = [];
    await postInflatedResults({ ...options, log: (line) => lines.push(line) });
    expect(lines).toEqual(
      MAIL_SAFETY_RULES.map((r) => `mail-guard v1 on ${r.suite}: already posted`),
    );
  } finally {
    await anvil.stop();
  }
}, 240_000);
