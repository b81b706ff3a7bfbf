// The indexer's error classes (a short message, details, a cause, and whether another try may help), and the
// one the notifier adds.
import { BaseError } from '@charter/indexer';

export { BaseError, ChainMismatchError, ConfigError } from '@charter/indexer';

/** The chain changed while a batch was read (a block's hash moved): the batch is read again. */
export class ChainMovedError extends BaseError {
  override name = 'ChainMovedError';
  override readonly retryable = true;
}

export const isRetryable = (error: unknown): boolean =>
  error instanceof BaseError && error.retryable;
