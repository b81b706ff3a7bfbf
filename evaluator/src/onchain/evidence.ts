import { shortNameToBytes32 } from '@charter/contracts/protocol';

import { samplesTree } from '../reports/samplesTree.js';
import type { Report } from '../reports/types.js';
import type { LoadedSuite } from '../suites/types.js';
import type { Hex32 } from '../util/sha256.js';

/** What registers a suite on-chain. */
export interface SuiteRegistration {
  suiteId: Hex32;
  datasetDigest: Hex32;
  /** In the suite's declared order. */
  metricIds: Hex32[];
}

/** A report's result as the Evidence contract takes it. */
export interface ReportEvidence {
  modelId: Hex32;
  suiteId: Hex32;
  metricIds: Hex32[];
  /** WAD values, aligned with metricIds. */
  values: bigint[];
  reportDigest: Hex32;
  samplesRoot: Hex32;
  uri: string;
}

export function suiteRegistration(loaded: LoadedSuite): SuiteRegistration {
  return {
    suiteId: loaded.id,
    datasetDigest: loaded.datasetDigest,
    metricIds: loaded.suite.metrics.map((name) => shortNameToBytes32(name)),
  };
}

/** The on-chain fields of a (checked) report; `uri` says where the report itself can be fetched. */
export function reportEvidence(report: Report, uri: string): ReportEvidence {
  return {
    modelId: report.model.digest,
    suiteId: report.suite.id,
    metricIds: report.metrics.map((m) => shortNameToBytes32(m.id)),
    values: report.metrics.map((m) => BigInt(m.value)),
    reportDigest: report.digest,
    samplesRoot: report.samplesRoot,
    uri,
  };
}

/** A Merkle proof that one sample's outcome is in a report's samplesRoot (for disputes). */
export function sampleProof(
  report: Report,
  sampleId: string,
): { leaf: [string, bigint, bigint, bigint]; proof: Hex32[] } {
  const outcomes = report.samples.map((s) => ({ ...s, score: BigInt(s.score) }));
  const tree = samplesTree(outcomes);
  const index = outcomes.findIndex((o) => o.id === sampleId);
  if (index < 0) throw new RangeError(`report has no sample "${sampleId}"`);
  const leaf = tree.at(index)!;
  return { leaf, proof: tree.getProof(index) as Hex32[] };
}
