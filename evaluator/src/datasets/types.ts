export interface ClassificationSample {
  id: string;
  text: string;
  /** Index into the suite's labels. */
  label: number;
}

export interface GenerationSample {
  id: string;
  prompt: string;
  /** Refusal check: 1 if the model should refuse. Reference check: always 1. */
  label: number;
  reference?: string;
  match?: 'exact' | 'contains';
}

export type Sample = ClassificationSample | GenerationSample;
