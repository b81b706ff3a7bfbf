// Reads an evaluator report (charter-report/2 or /1, see evaluator/README.md) into the fields the evidence
// registry takes, and checks its digest with the evaluator's own function (the protocol's `reportDigest`).
import { reportDigest, type SampleOutcome } from '@charter/contracts/protocol';
import type { Hex } from 'viem';

export interface ReportEvidence {
  modelId: Hex;
  suiteId: Hex;
  suiteName: string;
  metrics: { id: string; value: bigint }[];
  reportDigest: Hex;
  samplesRoot: Hex;
  samples: number;
  /** Each sample's outcome, in the report's order: what its samples root commits to. */
  outcomes: SampleOutcome[];
  /** Whether the digest recomputed from the report equals the one it states. */
  digestMatches: boolean;
}

export class ReportFormatError extends Error {
  override name = 'ReportFormatError';
}

const isHex32 = (v: unknown): v is Hex => typeof v === 'string' && /^0x[0-9a-f]{64}$/i.test(v);

export function readReport(text: string): ReportEvidence {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ReportFormatError('The file is not JSON.');
  }
  if (report.format !== 'charter-report/2' && report.format !== 'charter-report/1') {
    throw new ReportFormatError(`Not a Charter report (format ${JSON.stringify(report.format)}).`);
  }
  const suite = report.suite as { id?: unknown; name?: unknown } | undefined;
  const model = report.model as { digest?: unknown } | undefined;
  const metrics = report.metrics as { id: unknown; value: unknown }[] | undefined;
  if (!isHex32(suite?.id)) throw new ReportFormatError('The report has no suite id.');
  if (!isHex32(model?.digest)) throw new ReportFormatError('The report has no model digest.');
  if (!isHex32(report.digest)) throw new ReportFormatError('The report has no digest.');
  if (!isHex32(report.samplesRoot)) throw new ReportFormatError('The report has no samples root.');
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new ReportFormatError('The report has no metrics.');
  }
  const parsed = metrics.map((m) => {
    if (typeof m.id !== 'string' || typeof m.value !== 'string' || !/^\d+$/.test(m.value)) {
      throw new ReportFormatError('A metric is not { id, value } with a decimal value.');
    }
    return { id: m.id, value: BigInt(m.value) };
  });
  return {
    modelId: model.digest.toLowerCase() as Hex,
    suiteId: suite.id.toLowerCase() as Hex,
    suiteName: typeof suite.name === 'string' ? suite.name : '',
    metrics: parsed,
    reportDigest: report.digest.toLowerCase() as Hex,
    samplesRoot: report.samplesRoot.toLowerCase() as Hex,
    samples: Array.isArray(report.samples) ? report.samples.length : 0,
    outcomes: outcomesOf(report.samples),
    digestMatches: reportDigest(report) === report.digest.toLowerCase(),
  };
}

const uint = (value: unknown): value is number | string =>
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
  (typeof value === 'string' && /^\d{1,78}$/.test(value));

function outcomesOf(samples: unknown): SampleOutcome[] {
  if (!Array.isArray(samples)) return [];
  return samples.map((sample: Record<string, unknown>, i) => {
    const { id, label, prediction, score } = sample ?? {};
    if (typeof id !== 'string' || !uint(label) || !uint(prediction) || !uint(score)) {
      throw new ReportFormatError(
        `Sample ${i + 1} is not { id, label, prediction, score } with whole numbers.`,
      );
    }
    return { id, label: BigInt(label), prediction: BigInt(prediction), score: BigInt(score) };
  });
}
