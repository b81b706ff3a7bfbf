import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Tokenizer } from '@huggingface/tokenizers';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

import { loadSamples } from '../datasets/loadSamples.js';
import type { ClassificationSample } from '../datasets/types.js';
import { listSuites } from '../suites/listSuites.js';
import { createWordPieceEncoder, type WordPieceEncoder } from './createWordPieceEncoder.js';

env.allowRemoteModels = false;

const model = (name: string) => fileURLToPath(new URL(`../../models/${name}`, import.meta.url));

async function both(name: string): Promise<{
  reference: (text: string, max: number) => number[];
  fast: WordPieceEncoder;
  maxLength: number;
}> {
  const dir = model(name);
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(dir, {
    local_files_only: true,
  });
  // What the runner did before this encoder existed: the transformers.js tokenizer, truncated.
  const reference = (text: string, max: number) =>
    (
      tokenizer([text], { truncation: true, max_length: max, return_tensor: false }) as unknown as {
        input_ids: number[][];
      }
    ).input_ids[0]!;
  const fast = createWordPieceEncoder(
    JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8')),
    JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<
      string,
      unknown
    >,
    reference,
  );
  if (!fast) throw new Error(`${name}: the fast encoder does not cover its tokenizer`);
  return { reference, fast, maxLength: tokenizer.model_max_length };
}

/** Every message of every bundled classification suite, held-out and (`all`) training halves. */
async function corpus(all: boolean): Promise<string[]> {
  const texts = new Set<string>();
  for (const loaded of await listSuites()) {
    if (loaded.suite.task !== 'text-classification') continue;
    for (const use of all ? (['holdout', 'train'] as const) : (['holdout'] as const)) {
      const suite = loaded.suite.split
        ? { ...loaded, suite: { ...loaded.suite, split: { ...loaded.suite.split, use } } }
        : loaded;
      for (const s of (await loadSamples(suite)) as ClassificationSample[]) texts.add(s.text);
    }
  }
  return [...texts];
}

describe('createWordPieceEncoder', () => {
  // mail-guard-v2 (confusable folding, 512 tokens) on the whole corpus; v1 (64 tokens) on the
  // samples the suites score.
  it('gives the token ids of the transformers.js tokenizer on the whole corpus', async () => {
    for (const [name, all] of [
      ['mail-guard-v2', true],
      ['mail-guard-v1', false],
    ] as const) {
      const texts = await corpus(all);
      expect(texts.length).toBeGreaterThan(all ? 8000 : 5000);
      const { reference, fast, maxLength } = await both(name);
      const differing: number[] = [];
      texts.forEach((text, i) => {
        const expected = reference(text, maxLength);
        const actual = fast.encode(text, maxLength);
        if (expected.length !== actual.length || expected.some((id, j) => id !== actual[j]))
          differing.push(i);
      });
      expect({ name, differing: differing.slice(0, 5).map((i) => texts[i]!.slice(0, 80)) }).toEqual(
        { name, differing: [] },
      );
    }
  }, 120_000);

  it('matches it on the corner cases: added tokens typed in, confusables, long words, astral characters, truncation', async () => {
    const { reference, fast } = await both('mail-guard-v2');
    const cases = [
      '',
      '   ',
      'a [UNK] typed in, and [PAD] too',
      'ΡΑΥΡΑL: vеrіfу уоur ассоunt (Cyrillic and Greek look-alikes)',
      'Ｆｕｌｌｗｉｄｔｈ ＦＲＥＥ money ﬁ ligature ½',
      'supercalifragilisticexpialidocious-and-then-some-more-letters-than-thirty',
      'x'.repeat(31) + ' ' + 'y'.repeat(30),
      'emoji 😀😀 and 𝐛𝐨𝐥𝐝 math letters, a lone \ud800 surrogate',
      '¿Qué tal? «quotes» — dashes… and 「brackets」',
      'word '.repeat(1000),
      'İstanbul ΣΊΣΥΦΟΣ final sigma',
    ];
    for (const text of cases)
      for (const max of [1, 7, 512])
        expect(fast.encode(text, max), `${JSON.stringify(text.slice(0, 40))} @${max}`).toEqual(
          reference(text, max),
        );
  });

  it('normalizes ASCII text the short way only where that gives the same ids', () => {
    const vocab = Object.fromEntries(
      ['[UNK]', 'a', 'b', 'c', 'o', 'e', 'é', 'ob', '##b', '##c', 'x', '!'].map((t, i) => [t, i]),
    );
    const replace = (from: string, to: string) => ({
      type: 'Replace',
      pattern: { String: from },
      content: to,
    });
    // Each Replace: a non-ASCII pattern (never matches ASCII), an ASCII one to ASCII, and an
    // ASCII one to a non-ASCII content (its output leaves ASCII: the long way).
    for (const normalizer of [
      {
        type: 'Sequence',
        normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }, replace('ё', 'e')],
      },
      { type: 'Sequence', normalizers: [{ type: 'Lowercase' }, replace('0', 'o')] },
      { type: 'Sequence', normalizers: [replace('E', 'é'), { type: 'NFD' }] },
    ]) {
      const json = {
        normalizer,
        pre_tokenizer: { type: 'BertPreTokenizer' },
        post_processor: null,
        decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
        model: { type: 'WordPiece', vocab, unk_token: '[UNK]', continuing_subword_prefix: '##' },
        added_tokens: [],
      };
      const reference = new Tokenizer(json, {});
      const fast = createWordPieceEncoder(json, {}, () => [])!;
      for (const text of ['OBC 0bc Abc!', 'E x, ABC e', 'ёb Éb'])
        expect(fast.encode(text, 64), `${JSON.stringify(normalizer)} ${text}`).toEqual(
          reference.encode(text, { add_special_tokens: false }).ids,
        );
    }
  });

  it('declines tokenizers it does not reproduce exactly', () => {
    const base = {
      normalizer: null,
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: null,
      model: { type: 'WordPiece', vocab: { '[UNK]': 0, a: 1 }, unk_token: '[UNK]' },
      added_tokens: [],
    };
    const never = () => [];
    expect(createWordPieceEncoder(base, {}, never)).toBeDefined();
    expect(
      createWordPieceEncoder({ ...base, pre_tokenizer: { type: 'Whitespace' } }, {}, never),
    ).toBeUndefined();
    expect(
      createWordPieceEncoder({ ...base, normalizer: { type: 'BertNormalizer' } }, {}, never),
    ).toBeUndefined();
    expect(
      createWordPieceEncoder({ ...base, post_processor: { type: 'BertProcessing' } }, {}, never),
    ).toBeUndefined();
    expect(
      createWordPieceEncoder(
        { ...base, added_tokens: [{ id: 2, content: 'hi', special: false }] },
        {},
        never,
      ),
    ).toBeUndefined();
  });
});
