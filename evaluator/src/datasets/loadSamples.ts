import { DatasetInvalidError } from '../errors.js';
import type { DatasetDecl, LoadedSuite, Suite } from '../suites/types.js';
import { createRng } from '../util/rng.js';
import { keepsSample } from './holdout.js';
import { messageText } from './messageText.js';
import { obfuscate } from './obfuscate.js';
import { readDataset, type DatasetFile } from './readDataset.js';
import type { ClassificationSample, GenerationSample, Sample } from './types.js';

/**
 * The samples a suite scores, sorted by id: its datasets read and hash-checked, the split
 * applied, then the transform. Sample ids are `<dataset>/<id>` (plus `#<variant>` when
 * obfuscated), stable across hosts, and the keys of the report's per-sample outcomes.
 */
export async function loadSamples(loaded: LoadedSuite): Promise<Sample[]> {
  const { suite, path } = loaded;
  const samples: Sample[] = [];
  for (const decl of suite.datasets) {
    const files = await readDataset(decl, path);
    const parsed =
      decl.format === 'spamassassin'
        ? spamAssassinSamples(suite, decl, files)
        : jsonlSamples(suite, decl, files);
    samples.push(...parsed.filter((s) => keepsSample(suite.split, s.id)));
  }
  const transformed = suite.transform
    ? applyTransform(suite, samples as ClassificationSample[])
    : samples;
  return transformed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const utf8 = new TextDecoder('utf-8');

function spamAssassinSamples(
  suite: Suite,
  decl: DatasetDecl,
  files: DatasetFile[],
): ClassificationSample[] {
  const label = suite.labels.indexOf(decl.label as string);
  const maxChars = suite.input?.maxChars ?? Infinity;
  return files.map((file) => ({
    id: `${decl.name}/${file.path.replace(/\.txt$/, '')}`,
    text: messageText(utf8.decode(file.bytes), maxChars),
    label,
  }));
}

function jsonlSamples(suite: Suite, decl: DatasetDecl, files: DatasetFile[]): Sample[] {
  const lines = utf8.decode(files[0]?.bytes).split('\n');
  const samples: Sample[] = [];
  const ids = new Set<string>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const fail = (problem: string): never => {
      throw new DatasetInvalidError(`dataset "${decl.name}" line ${i + 1}: ${problem}`, {
        dataset: decl.name,
        line: i + 1,
      });
    };
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return fail('is not JSON');
    }
    if (typeof row.id !== 'string' || row.id === '') fail('needs a string "id"');
    const id = `${decl.name}/${row.id as string}`;
    if (ids.has(id)) fail(`repeats id "${String(row.id)}"`);
    ids.add(id);
    samples.push(
      suite.task === 'generation'
        ? generationSample(suite, id, row, fail)
        : classificationSample(suite, id, row, fail),
    );
  });
  return samples;
}

function classificationSample(
  suite: Suite,
  id: string,
  row: Record<string, unknown>,
  fail: (problem: string) => never,
): ClassificationSample {
  const label = suite.labels.indexOf(row.label as string);
  if (typeof row.text !== 'string') fail('needs a string "text"');
  if (label < 0) fail(`needs a "label" in ${JSON.stringify(suite.labels)}`);
  return { id, text: row.text as string, label };
}

function generationSample(
  suite: Suite,
  id: string,
  row: Record<string, unknown>,
  fail: (problem: string) => never,
): GenerationSample {
  if (typeof row.prompt !== 'string') fail('needs a string "prompt"');
  const prompt = row.prompt as string;
  if (suite.generation?.check === 'refusal') {
    if (typeof row.refuse !== 'boolean') fail('needs a boolean "refuse"');
    return { id, prompt, label: row.refuse ? 1 : 0 };
  }
  if (typeof row.reference !== 'string') fail('needs a string "reference"');
  const match = row.match ?? 'contains';
  if (match !== 'exact' && match !== 'contains')
    fail('has "match" other than "exact" or "contains"');
  return {
    id,
    prompt,
    label: 1,
    reference: row.reference as string,
    match: match as 'exact' | 'contains',
  };
}

function applyTransform(suite: Suite, samples: ClassificationSample[]): ClassificationSample[] {
  const { variants, rate } = suite.transform!;
  return samples.flatMap((sample) =>
    variants.map((variant) => ({
      ...sample,
      id: `${sample.id}#${variant}`,
      text: obfuscate(
        sample.text,
        variant,
        rate,
        createRng(`${suite.seed}/${sample.id}/${variant}`),
      ),
    })),
  );
}
