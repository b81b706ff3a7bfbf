/**
 * Errors carry a short message, the details that explain it, and the cause. `retryable` separates what
 * is worth another try (an RPC timeout, a chain that moved under a batch) from what is not (bad
 * configuration, a chain that does not match the database).
 */
export class BaseError extends Error {
  override name = 'BaseError';
  readonly retryable: boolean = false;

  constructor(
    readonly shortMessage: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`${shortMessage}${cause}`, options);
  }
}

/** The configuration cannot work: a missing RPC URL, an unreadable deployments file, a bad schedule. */
export class ConfigError extends BaseError {
  override name = 'ConfigError';
}

/** The chain changed while a batch was read (a block's hash moved): the batch is read again. */
export class ChainMovedError extends BaseError {
  override name = 'ChainMovedError';
  override readonly retryable = true;
}

/** The database describes another chain or deployment than the one configured. */
export class ChainMismatchError extends BaseError {
  override name = 'ChainMismatchError';
}

export const isRetryable = (error: unknown): boolean =>
  error instanceof BaseError && error.retryable;
