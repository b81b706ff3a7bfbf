export const PAD_TOKEN = '[PAD]';
export const UNK_TOKEN = '[UNK]';
export const SUBWORD_PREFIX = '##';

/** Confusable letters (after lowercasing) and the Latin letter they imitate. */
const CONFUSABLES: [string, string][] = [
  ['\u0430', 'a'],
  ['\u0441', 'c'],
  ['\u0435', 'e'],
  ['\u0456', 'i'],
  ['\u0458', 'j'],
  ['\u043e', 'o'],
  ['\u0440', 'p'],
  ['\u0455', 's'],
  ['\u0445', 'x'],
  ['\u0443', 'y'],
  ['\u03b1', 'a'],
  ['\u03b2', 'b'],
  ['\u03b5', 'e'],
  ['\u03b7', 'h'],
  ['\u03b9', 'i'],
  ['\u03ba', 'k'],
  ['\u03bc', 'm'],
  ['\u03bd', 'n'],
  ['\u03bf', 'o'],
  ['\u03c1', 'p'],
  ['\u03c4', 't'],
  ['\u03c7', 'x'],
  ['\u03c5', 'y'],
];

export interface TokenizerOptions {
  /** Token strings; index = id. Must start with [PAD], [UNK]. */
  vocab: string[];
  /** Map Cyrillic and Greek look-alikes onto Latin letters before splitting words. */
  foldConfusables: boolean;
  /** Longer words become [UNK] (bounds WordPiece's quadratic search). */
  maxInputCharsPerWord: number;
}

/**
 * A Hugging Face `tokenizer.json`: NFKC + lowercase (+ confusable folding), BERT-style splitting
 * on whitespace and punctuation, WordPiece over the given vocabulary, no special tokens added.
 */
export function tokenizerJson(options: TokenizerOptions): Record<string, unknown> {
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const normalizers: Record<string, unknown>[] = [{ type: 'NFKC' }, { type: 'Lowercase' }];
  if (options.foldConfusables)
    for (const [from, to] of CONFUSABLES)
      normalizers.push({ type: 'Replace', pattern: { String: from }, content: to });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, PAD_TOKEN), special(1, UNK_TOKEN)],
    normalizer: { type: 'Sequence', normalizers },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: SUBWORD_PREFIX, cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: UNK_TOKEN,
      continuing_subword_prefix: SUBWORD_PREFIX,
      max_input_chars_per_word: options.maxInputCharsPerWord,
      vocab: Object.fromEntries(options.vocab.map((token, id) => [token, id])),
    },
  };
}

/** `tokenizer_config.json`: the generic fast tokenizer class, padding and length limits. */
export function tokenizerConfig(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    model_max_length: maxLength,
    pad_token: PAD_TOKEN,
    unk_token: UNK_TOKEN,
    padding_side: 'right',
    truncation_side: 'right',
    clean_up_tokenization_spaces: true,
  };
}
