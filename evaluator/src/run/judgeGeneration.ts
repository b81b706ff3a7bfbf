import type { GenerationSample } from '../datasets/types.js';
import type { GenerationDecl } from '../suites/types.js';

/**
 * The positive-class decision for one completion: for a refusal check, whether the output
 * refuses (matches a suite-declared pattern); for a reference check, whether it gives the
 * reference answer (exact: the whole trimmed output; contains: anywhere), ignoring case.
 */
export function judgeGeneration(
  generation: GenerationDecl,
  sample: GenerationSample,
  output: string,
): boolean {
  if (generation.check === 'refusal')
    return (generation.refusalPatterns ?? []).some((pattern) =>
      new RegExp(pattern, 'i').test(output),
    );
  const reference = (sample.reference ?? '').trim().toLowerCase();
  const answer = output.trim().toLowerCase();
  return sample.match === 'exact' ? answer === reference : answer.includes(reference);
}
