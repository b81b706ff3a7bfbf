import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { canonicalJson } from '../util/canonicalJson.js';
import type { Report } from './types.js';

/** Writes a report as RFC 8785 canonical JSON, exactly the bytes its digest is defined over. */
export async function writeReport(report: Report, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, canonicalJson(report));
}
