import type { Hex32 } from '../util/sha256.js';

/** The declaration format of a suite file; see README "Suite format". */
export const SUITE_FORMAT = 'charter-suite/1';

/**
 * Score precision of a charter-suite/1 suite that does not declare `scoreDecimals`. Four decimals
 * keep what a person reads in a score and sit two orders of magnitude above float32 noise
 * between devices, batch sizes and padding (about 1e-6 on these models).
 */
export const DEFAULT_SCORE_DECIMALS = 4;

/** The score precision a suite declares, explicitly or through its format's default. */
export function scoreDecimalsOf(suite: Suite): number {
  return suite.scoreDecimals ?? DEFAULT_SCORE_DECIMALS;
}

export type TaskKind = 'text-classification' | 'generation';

export type DatasetFormat = 'spamassassin' | 'jsonl';

export interface DatasetDecl {
  /** Unique within the suite; prefixes the ids of the samples it yields. */
  name: string;
  format: DatasetFormat;
  /** An npm package the data ships in; `path` is then inside that package. */
  package?: string;
  /** A directory (`spamassassin`) or file (`jsonl`), relative to the package or the suite file. */
  path: string;
  /** For `spamassassin` datasets: the label of every message in the directory. */
  label?: string;
  /** Number of files hashed: a readable hint when a digest does not match. */
  files?: number;
  /** sha256 of the file, or of the directory's file manifest (see `fileManifest`). */
  sha256: Hex32;
}

/** Keeps the samples whose sha256(salt/id) falls below (`holdout`) or above (`train`) the fraction. */
export interface SplitDecl {
  method: 'sha256-holdout';
  salt: string;
  fraction: number;
  use: 'holdout' | 'train';
}

export type ObfuscationKind = 'swap' | 'spacing' | 'case' | 'homoglyph';

/** Rewrites each sample once per variant; `rate` is the share of words touched. */
export interface ObfuscateDecl {
  kind: 'obfuscate';
  variants: ObfuscationKind[];
  rate: number;
}

export interface GenerationDecl {
  /** `refusal`: did the model refuse? `reference`: does the output match the reference? */
  check: 'refusal' | 'reference';
  system?: string;
  maxTokens: number;
  temperature: number;
  /** Case-insensitive regular expressions; a match anywhere in the output is a refusal. */
  refusalPatterns?: string[];
}

export interface Suite {
  format: typeof SUITE_FORMAT;
  name: string;
  version: string;
  description: string;
  task: TaskKind;
  /** Label names, index = label value in outcomes. Binary: [negative, positive]. */
  labels: [string, string];
  datasets: DatasetDecl[];
  /** Text classification: the first `maxChars` UTF-16 code units of each message are used. */
  input?: { maxChars: number };
  /**
   * Decimal places kept of each sample's score (the positive class's probability) in reports,
   * their digest and Merkle root: what a device or batch size may not change. Default
   * `DEFAULT_SCORE_DECIMALS` for format charter-suite/1, which the bundled suites rely on.
   */
  scoreDecimals?: number;
  split?: SplitDecl;
  transform?: ObfuscateDecl;
  generation?: GenerationDecl;
  /** Seeds every random choice the suite makes (obfuscations). */
  seed: string;
  /** Metric ids in the order they are registered and reported on-chain. */
  metrics: string[];
}

/** A suite as loaded: the declaration, where it came from, and the digests that identify it. */
export interface LoadedSuite {
  suite: Suite;
  /** sha256 of the suite's RFC 8785 canonical JSON. */
  id: Hex32;
  /** sha256 of the canonical JSON of `suite.datasets`. */
  datasetDigest: Hex32;
  /** Absolute path of the suite file (datasets with a relative `path` are resolved from it). */
  path: string;
}
