import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { checkReport } from '../reports/readReport.js';
import type { Report } from '../reports/types.js';
import { ReportFetchError } from './errors.js';

/**
 * Fetches a report from the URI a result names (`file://` or `http(s)://`) and checks it as `readReport`
 * does: well-formed, its digest matching its content, its metrics and Merkle root matching its samples.
 * Whether it is the report the chain records is the caller's comparison (`checkAgainstChain`).
 */
export async function fetchReport(uri: string, timeoutMs = 30_000): Promise<Report> {
  let text: string;
  if (uri.startsWith('file://')) {
    text = await readFile(fileURLToPath(uri), 'utf8').catch((cause: Error) => {
      throw new ReportFetchError(
        `cannot read the report at ${uri}: ${cause.message}`,
        { uri },
        {
          cause,
        },
      );
    });
  } else if (/^https?:\/\//.test(uri)) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs) }).catch(
      (cause: Error) => {
        throw new ReportFetchError(
          `cannot fetch the report at ${uri}: ${cause.message}`,
          { uri },
          {
            cause,
          },
        );
      },
    );
    if (!response.ok)
      throw new ReportFetchError(`cannot fetch the report at ${uri}: HTTP ${response.status}`, {
        uri,
        status: response.status,
      });
    text = await response.text();
  } else {
    throw new ReportFetchError(`unsupported report URI ${uri}: use file:// or http(s)://`, { uri });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined; // checkReport names the problem
  }
  return checkReport(value, uri);
}
