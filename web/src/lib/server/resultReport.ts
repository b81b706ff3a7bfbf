import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { samplesTree } from '@charter/contracts/protocol';
import { error } from '@sveltejs/kit';

import { readReport, ReportFormatError } from '$lib/report';
import { config } from './config';
import { indexer, read } from './indexer';

/** A report larger than this is refused rather than held in memory. */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** One sample as the dispute form shows and the registry's `Sample` takes it (numbers as decimal strings). */
export interface CommittedSample {
  id: string;
  label: string;
  prediction: string;
  score: string;
}

export interface ResultReport {
  resultId: string;
  uri: string;
  reportDigest: string;
  samplesRoot: string;
  samples: CommittedSample[];
}

/**
 * The report behind a posted result, for the dispute form: fetched from the URI the evaluator posted (http(s),
 * or a file:// path on a dev chain, where `npm start`'s evaluators publish their reports as files), and
 * checked against what the result commits to: its digest and its samples root. Only URIs that a result on
 * the chain names are fetched, never one a request names.
 */
export async function resultReport(id: string): Promise<ResultReport> {
  const result = await read(indexer.results.get(id));
  const text = await fetchReport(result.uri);
  let report;
  try {
    report = readReport(text);
  } catch (cause) {
    if (cause instanceof ReportFormatError)
      error(422, `The report at ${result.uri}: ${cause.message}`);
    throw cause;
  }
  if (!report.digestMatches || report.reportDigest !== result.reportDigest.toLowerCase())
    error(
      422,
      `The report at ${result.uri} is not the one the result commits to (digest ${result.reportDigest}).`,
    );
  if (samplesTree(report.outcomes).root !== result.samplesRoot.toLowerCase())
    error(
      422,
      `The samples of the report at ${result.uri} do not give the result's samples root ${result.samplesRoot}: no sample of it can be proven.`,
    );
  return {
    resultId: result.id,
    uri: result.uri,
    reportDigest: result.reportDigest,
    samplesRoot: result.samplesRoot,
    samples: report.outcomes.map((o) => ({
      id: o.id,
      label: o.label.toString(),
      prediction: o.prediction.toString(),
      score: o.score.toString(),
    })),
  };
}

async function fetchReport(uri: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    error(422, `The result's report URI is not a URL: ${uri || '(none)'}`);
  }
  if (url.protocol === 'file:') {
    if (!config.devChain) error(422, `A file:// report (${uri}) can be read only on a dev chain.`);
    const text = await readFile(fileURLToPath(url), 'utf8').catch((cause: Error) =>
      error(502, `Cannot read the report at ${uri}: ${cause.message}`),
    );
    if (text.length > MAX_REPORT_BYTES) error(413, `The report at ${uri} is too large.`);
    return text;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    error(422, `The report URI ${uri} is neither http(s) nor file://.`);
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch(
    (cause: Error) => error(502, `Cannot fetch the report at ${uri}: ${cause.message}`),
  );
  if (!response.ok) error(502, `The report at ${uri} answered ${response.status}.`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_REPORT_BYTES)
    error(413, `The report at ${uri} is too large.`);
  const text = await response.text();
  if (text.length > MAX_REPORT_BYTES) error(413, `The report at ${uri} is too large.`);
  return text;
}
