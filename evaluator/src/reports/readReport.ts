import { readFile } from 'node:fs/promises';

import { ReportDigestMismatchError, ReportInvalidError } from '../errors.js';
import { computeMetrics } from '../metrics/computeMetrics.js';
import { isKnownMetric } from '../metrics/metrics.js';
import { scoreStep } from '../run/scoreOutcome.js';
import { isHex32 } from '../util/sha256.js';
import { reportDigest } from './reportDigest.js';
import { samplesRoot } from './samplesTree.js';
import { REPORT_FORMAT, type Outcome, type Report } from './types.js';

/**
 * Reads a report and refuses it unless it is exactly what was produced: well-formed, its digest
 * matching its content, and its metrics and Merkle root matching its per-sample outcomes.
 */
export async function readReport(path: string): Promise<Report> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ReportInvalidError(`report ${path}: cannot read JSON`, { path }, { cause });
  }
  return checkReport(value, path);
}

/** The checks of `readReport`, on a parsed value. */
export function checkReport(value: unknown, source = 'report'): Report {
  const report = value as Report;
  const fail = (problem: string): never => {
    throw new ReportInvalidError(`report ${source}: ${problem}`, { source });
  };
  if (typeof value !== 'object' || value === null) fail('is not a JSON object');
  if (report.format !== REPORT_FORMAT)
    fail(
      `format must be "${REPORT_FORMAT}"${report.format === 'charter-report/1' ? ' (format 1 recorded scores at 1e-6 and the device in the digest; run the suite again)' : ''}`,
    );
  if (!isHex32(report.digest)) fail('has no digest');
  if (!isHex32(report.suite?.id) || !isHex32(report.suite?.datasetDigest)) fail('has no suite id');
  if (!isHex32(report.model?.digest)) fail('has no model digest');
  if (typeof report.runner?.name !== 'string') fail('has no runner');
  const decimals = report.suite.scoreDecimals;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 18)
    fail('has no suite.scoreDecimals (an integer from 0 to 18)');
  if (!Array.isArray(report.metrics) || !Array.isArray(report.samples))
    fail('has no metrics or samples');

  const actual = reportDigest(report);
  if (actual !== report.digest)
    throw new ReportDigestMismatchError(
      `report ${source} was modified after it was produced: its content hashes to ${actual}, not to the digest it records (${report.digest})`,
      { source, recorded: report.digest, actual },
    );

  // The digest only proves the file is intact; these prove it is internally consistent.
  const outcomes: Outcome[] = report.samples.map((s) => {
    if (typeof s.id !== 'string' || !/^\d+$/.test(String(s.score)))
      fail(`has a malformed sample ${JSON.stringify(s)}`);
    const score = BigInt(s.score);
    if (score % scoreStep(decimals) !== 0n)
      fail(`sample ${s.id} has a score finer than ${decimals} decimals`);
    return { id: s.id, label: s.label, prediction: s.prediction, score };
  });
  const ids = report.metrics.map((m) => m.id);
  if (!ids.every(isKnownMetric)) fail(`names an unknown metric (${ids.join(', ')})`);
  const recomputed = computeMetrics(outcomes, ids);
  report.metrics.forEach((m, i) => {
    if (recomputed[i]!.value.toString() !== m.value)
      fail(`metric ${m.id} is ${m.value} but its samples give ${recomputed[i]!.value}`);
  });
  if (samplesRoot(outcomes) !== report.samplesRoot) fail('samplesRoot does not match its samples');
  return report;
}
