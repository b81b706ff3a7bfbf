import { PAD_TOKEN, SUBWORD_PREFIX, UNK_TOKEN } from './tokenizerJson.js';

export interface VocabOptions {
  /** Whole words kept, most frequent first. */
  words: number;
  /** A word must occur in at least this many documents. */
  minCount: number;
  /** Word-start pieces and `##` continuation pieces kept, most frequent first; 0 for none. */
  subwords: number;
  /** Longest word considered (longer ones are [UNK] at run time anyway). */
  maxWordChars: number;
}

/**
 * A WordPiece vocabulary from pre-tokenized documents: the most frequent words by document
 * frequency, then (if `subwords`) frequent word starts and `##` pieces and every single
 * character, so that a word never seen, a misspelt or obfuscated one, still maps to pieces
 * that carry meaning rather than to [UNK]. Ties break by string order, so the result is
 * deterministic.
 */
export function buildVocab(documents: Iterable<string[]>, options: VocabOptions): string[] {
  const docFreq = new Map<string, number>();
  for (const words of documents)
    for (const word of new Set(words))
      if ([...word].length <= options.maxWordChars) docFreq.set(word, (docFreq.get(word) ?? 0) + 1);

  const vocab = [PAD_TOKEN, UNK_TOKEN];
  const seen = new Set(vocab);
  const add = (token: string) => {
    if (!seen.has(token)) {
      seen.add(token);
      vocab.push(token);
    }
  };
  for (const word of top(docFreq, options.words, options.minCount)) add(word);
  if (options.subwords === 0) return vocab;

  const pieces = new Map<string, number>();
  const chars = new Map<string, number>();
  const count = (map: Map<string, number>, key: string, n: number) =>
    map.set(key, (map.get(key) ?? 0) + n);
  for (const [word, n] of docFreq) {
    const cs = [...word];
    cs.forEach((c, i) => {
      count(chars, c, n);
      for (let len = 2; len <= 4 && i + len <= cs.length; len++) {
        const piece = cs.slice(i, i + len).join('');
        count(pieces, i === 0 ? piece : SUBWORD_PREFIX + piece, n);
      }
    });
  }
  for (const c of top(chars, Infinity, options.minCount)) {
    add(c);
    add(SUBWORD_PREFIX + c);
  }
  for (const piece of top(pieces, options.subwords, options.minCount)) add(piece);
  return vocab;
}

function top(counts: Map<string, number>, limit: number, minCount: number): string[] {
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
    .map(([token]) => token);
}
