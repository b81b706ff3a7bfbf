// Evaluator three ("Quick Evals"), the demo's liar: admitted and bonded like the honest evaluators, it
// evaluates mail-guard v1 for real, then flips wrong predictions to right until every mail-safety rule passes,
// and posts those inflated results. Its reports are internally consistent (metrics recomputed, the samples
// root over the altered leaves, the digest by the evaluator's rules) and served like the honest watchers'
// (a file:// URI in its state directory), so only re-running them shows the lie: the honest watchers do,
// and dispute inside the challenge window.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { evidenceRegistryAbi, type Deployment } from '@charter/contracts';
import { comparators, formatMetric, parseWad, type Comparator } from '@charter/contracts/protocol';
import {
  alterReport,
  computeMetrics,
  connectCharter,
  evaluateModel,
  listSuites,
  modelDigest,
  submitResult,
  writeReport,
  type Report,
} from '@charter/evaluator';
import type { Hex } from 'viem';

import { MAIL_SAFETY_RULES, MODELS_DIR } from './demoDao';

/** A policy rule on one suite's metric, as the demo's policy states it. */
export interface InflationRule {
  metric: string;
  comparator: Comparator;
  threshold: bigint;
}

const WAD = 10n ** 18n;

const meets = (value: bigint, rule: InflationRule) =>
  rule.comparator === '>=' ? value >= rule.threshold : value <= rule.threshold;

/**
 * The report a liar would post instead of `report`: wrong predictions flipped to right, one at a time in
 * sample order, until every rule is met; each flipped sample's score mirrored to the other side of 0.5 so
 * it agrees with its new prediction. `alterReport` recomputes the metrics, the samples root and the digest,
 * so the report checks out against itself and against the chain. Returns the flipped sample ids with it.
 * Refuses a rule on a metric the suite does not have.
 */
export function inflateReport(
  report: Report,
  rules: readonly InflationRule[],
): { report: Report; flipped: string[] } {
  const metricIds = report.metrics.map((m) => m.id);
  for (const rule of rules) {
    if (!metricIds.includes(rule.metric)) {
      throw new Error(`suite ${report.suite.name} has no metric ${rule.metric}`);
    }
  }
  const samples = report.samples.map((s) => ({ ...s }));
  const outcomes = () => samples.map((s) => ({ ...s, score: BigInt(s.score) }));
  const passes = () => {
    const values = new Map(computeMetrics(outcomes(), metricIds).map((m) => [m.id, m.value]));
    return rules.every((rule) => meets(values.get(rule.metric)!, rule));
  };
  const flipped: string[] = [];
  for (const sample of samples) {
    if (passes()) break;
    if (sample.prediction === sample.label) continue;
    sample.prediction = sample.label;
    sample.score = (WAD - BigInt(sample.score)).toString();
    flipped.push(sample.id);
  }
  if (!passes()) throw new Error(`cannot inflate ${report.suite.name} to meet its rules`);

  return { report: alterReport(report, samples), flipped };
}

export interface DishonestEvaluatorOptions {
  rpcUrl: string;
  deployment: Deployment;
  privateKey: Hex;
  /** Where its reports are written and served from (file:// URIs). */
  stateDir: string;
  log?: (line: string) => void;
}

/**
 * Posts evaluator three's inflated results for mail-guard v1 on every suite of mail-safety, each once: a
 * suite it already has a result for on-chain (a restart) is skipped without evaluating.
 */
export async function postInflatedResults(options: DishonestEvaluatorOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const connection = connectCharter(options);
  const evaluator = connection.account!.address;
  const modelDir = join(MODELS_DIR, 'mail-guard-v1');
  const modelId = await modelDigest(modelDir);
  const suites = new Map((await listSuites()).map((loaded) => [loaded.suite.name, loaded]));
  const bySuite = new Map<string, (typeof MAIL_SAFETY_RULES)[number][]>();
  for (const rule of MAIL_SAFETY_RULES)
    bySuite.set(rule.suite, [...(bySuite.get(rule.suite) ?? []), rule]);
  for (const [name, rules] of bySuite) {
    const suite = suites.get(name);
    if (!suite) throw new Error(`no bundled suite ${name}`);
    const [live] = await connection.public.readContract({
      address: options.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'result',
      args: [modelId, suite.id, evaluator],
    });
    if (live.status !== 0) {
      log(`mail-guard v1 on ${name}: already posted`);
      continue;
    }
    const honest = await evaluateModel({ suite, modelDir });
    const { report, flipped } = inflateReport(
      honest,
      rules.map((rule) => ({
        metric: rule.metric,
        comparator: comparators[rule.comparator]!,
        threshold: parseWad(rule.threshold),
      })),
    );
    const path = join(options.stateDir, 'reports', `${report.digest}.json`);
    await writeReport(report, path);
    await submitResult(connection, report, pathToFileURL(path).href);
    const metrics = report.metrics.map((m) => `${m.id} ${formatMetric(m.value)}`);
    log(
      `posted inflated results for mail-guard v1 on ${name} (${flipped.length} wrong predictions flipped to right): ${metrics.join(', ')}`,
    );
  }
}
