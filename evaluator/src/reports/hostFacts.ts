import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, hostname } from 'node:os';
import { dirname, join } from 'node:path';

import type { HostFacts } from './types.js';

const require = createRequire(import.meta.url);

/** Facts about this host and the libraries in use; recorded in reports, never digested. */
export function hostFacts(
  extra: Pick<HostFacts, 'startedAt' | 'modelPath' | 'suitePath' | 'settings'>,
): HostFacts {
  return {
    hostname: hostname(),
    platform: process.platform,
    arch: process.arch,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    node: process.version,
    evaluator: EVALUATOR_VERSION,
    libraries: {
      '@huggingface/transformers': dependencyVersion('@huggingface/transformers'),
      'onnxruntime-node': dependencyVersion('onnxruntime-node'),
    },
    batchSize: extra.settings.batchSize,
    ...extra,
  };
}

const EVALUATOR_VERSION = readVersion(new URL('../../package.json', import.meta.url));

/** The installed version of a dependency, found beside its entry point (exports may hide package.json). */
export function dependencyVersion(name: string): string {
  try {
    for (let dir = dirname(require.resolve(name)); dirname(dir) !== dir; dir = dirname(dir)) {
      const path = join(dir, 'package.json');
      const version = existsSync(path) ? readVersion(path, name) : '';
      if (version) return version;
    }
  } catch {
    // not installed: say so below
  }
  return 'unknown';
}

function readVersion(path: string | URL, name?: string): string {
  const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
  return name === undefined || pkg.name === name ? (pkg.version ?? '') : '';
}
