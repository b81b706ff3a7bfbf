import { SuiteInvalidError, UnknownMetricError } from '../errors.js';
import { METRICS, isKnownMetric } from '../metrics/metrics.js';
import { isHex32 } from '../util/sha256.js';
import { SUITE_FORMAT, type Suite } from './types.js';

const OBFUSCATIONS = ['swap', 'spacing', 'case', 'homoglyph'];

/**
 * Checks that `value` is a well-formed suite declaration and returns it typed. Every problem is
 * a SuiteInvalidError naming the field, except a metric the evaluator does not know, which is an
 * UnknownMetricError: a suite must not promise a number nobody can compute.
 */
export function parseSuite(value: unknown, source: string): Suite {
  const fail = (field: string, problem: string): never => {
    throw new SuiteInvalidError(`suite ${source}: ${field} ${problem}`, { source, field });
  };
  const s = asRecord(value) ?? fail('(root)', 'must be a JSON object');

  if (s.format !== SUITE_FORMAT) fail('format', `must be "${SUITE_FORMAT}"`);
  for (const key of ['name', 'version', 'description', 'seed'])
    if (typeof s[key] !== 'string' || s[key] === '') fail(key, 'must be a non-empty string');
  if (s.task !== 'text-classification' && s.task !== 'generation')
    fail('task', 'must be "text-classification" or "generation"');
  const labels = s.labels;
  if (!Array.isArray(labels) || labels.length !== 2 || !labels.every((l) => typeof l === 'string'))
    fail('labels', 'must be two label names: [negative, positive]');

  if (!Array.isArray(s.metrics) || s.metrics.length === 0) fail('metrics', 'must list metric ids');
  const metrics = s.metrics as unknown[];
  for (const id of metrics) {
    if (typeof id !== 'string') fail('metrics', 'must be strings');
    if (!isKnownMetric(id as string))
      throw new UnknownMetricError(`suite ${source}: unknown metric "${String(id)}"`, {
        source,
        metric: id,
        known: Object.keys(METRICS),
      });
  }
  if (new Set(metrics).size !== metrics.length) fail('metrics', 'must not repeat');

  if (!Array.isArray(s.datasets) || s.datasets.length === 0) fail('datasets', 'must list datasets');
  const names = new Set<string>();
  (s.datasets as unknown[]).forEach((raw, i) => {
    const where = `datasets[${i}]`;
    const d = asRecord(raw) ?? fail(where, 'must be an object');
    if (typeof d.name !== 'string' || !/^[\w.-]+$/.test(d.name))
      fail(`${where}.name`, 'must be a word ([A-Za-z0-9_.-])');
    if (names.has(d.name as string)) fail(`${where}.name`, 'must be unique');
    names.add(d.name as string);
    if (d.format !== 'spamassassin' && d.format !== 'jsonl')
      fail(`${where}.format`, 'must be "spamassassin" or "jsonl"');
    if (typeof d.path !== 'string' || d.path === '') fail(`${where}.path`, 'must be a path');
    if (d.package !== undefined && typeof d.package !== 'string')
      fail(`${where}.package`, 'must be an npm package name');
    if (!isHex32(d.sha256)) fail(`${where}.sha256`, 'must be 0x-prefixed sha256 hex');
    if (d.format === 'spamassassin' && !(labels as string[]).includes(d.label as string))
      fail(`${where}.label`, `must be one of ${JSON.stringify(labels)}`);
  });

  if (s.task === 'text-classification') {
    const input = asRecord(s.input);
    if (!input || !Number.isInteger(input.maxChars) || (input.maxChars as number) <= 0)
      fail('input.maxChars', 'must be a positive integer');
  }
  if (
    s.scoreDecimals !== undefined &&
    !(
      Number.isInteger(s.scoreDecimals) &&
      (s.scoreDecimals as number) >= 0 &&
      (s.scoreDecimals as number) <= 18
    )
  )
    fail('scoreDecimals', 'must be an integer from 0 to 18');
  if (s.split !== undefined) {
    const split = asRecord(s.split) ?? fail('split', 'must be an object');
    if (split.method !== 'sha256-holdout') fail('split.method', 'must be "sha256-holdout"');
    if (typeof split.salt !== 'string') fail('split.salt', 'must be a string');
    if (typeof split.fraction !== 'number' || !(split.fraction > 0 && split.fraction < 1))
      fail('split.fraction', 'must be a number between 0 and 1');
    if (split.use !== 'holdout' && split.use !== 'train')
      fail('split.use', 'must be "holdout" or "train"');
  }
  if (s.transform !== undefined) {
    const t = asRecord(s.transform) ?? fail('transform', 'must be an object');
    if (t.kind !== 'obfuscate') fail('transform.kind', 'must be "obfuscate"');
    if (
      !Array.isArray(t.variants) ||
      t.variants.length === 0 ||
      !t.variants.every((v) => OBFUSCATIONS.includes(v as string))
    )
      fail('transform.variants', `must be a list drawn from ${JSON.stringify(OBFUSCATIONS)}`);
    if (typeof t.rate !== 'number' || !(t.rate > 0 && t.rate <= 1))
      fail('transform.rate', 'must be a number in (0, 1]');
  }
  if (s.task === 'generation') {
    const g = asRecord(s.generation) ?? fail('generation', 'is required for a generation suite');
    if (g.check !== 'refusal' && g.check !== 'reference')
      fail('generation.check', 'must be "refusal" or "reference"');
    if (!Number.isInteger(g.maxTokens) || (g.maxTokens as number) <= 0)
      fail('generation.maxTokens', 'must be a positive integer');
    if (typeof g.temperature !== 'number' || g.temperature < 0)
      fail('generation.temperature', 'must be a non-negative number');
    if (g.check === 'refusal') {
      const patterns = g.refusalPatterns;
      if (!Array.isArray(patterns) || patterns.length === 0)
        fail('generation.refusalPatterns', 'must list regular expressions');
      for (const p of patterns as unknown[]) {
        try {
          new RegExp(p as string, 'i');
        } catch (cause) {
          throw new SuiteInvalidError(
            `suite ${source}: generation.refusalPatterns has an invalid expression`,
            { source, pattern: p },
            { cause },
          );
        }
      }
    }
    if ((s.datasets as { format: string }[]).some((d) => d.format !== 'jsonl'))
      fail('datasets', 'of a generation suite must be jsonl files');
  }
  return s as unknown as Suite;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
