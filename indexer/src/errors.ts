/**
 * Errors carry a short message, the details that explain it, and the cause. `retryable` decides what
 * the sync does: retry with backoff (a timeout, a 429, a dropped connection) or stop (bad configuration,
 * a chain that does not match the database).
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

/** The configuration cannot work: a missing RPC URL, an unreadable deployments file. */
export class ConfigError extends BaseError {
  override name = 'ConfigError';
}

/** The RPC did not answer usefully (timeout, 429, 5xx, connection dropped, garbled reply): try again. */
export class RpcTransportError extends BaseError {
  override name = 'RpcTransportError';
  override readonly retryable = true;
}

/**
 * The node has no block at that height: a load-balanced node behind its peers (worth asking again), or a
 * chain that got shorter (see `isPastHead`).
 */
export class BlockNotFoundError extends RpcTransportError {
  override name = 'BlockNotFoundError';
}

/** The RPC answered with a JSON-RPC error. Rate limits and internal errors are worth retrying. */
export class RpcResponseError extends BaseError {
  override name = 'RpcResponseError';
  override readonly retryable: boolean;

  constructor(
    shortMessage: string,
    readonly code: number,
    details: Record<string, unknown> = {},
  ) {
    super(shortMessage, { ...details, code });
    // -32005 limit exceeded (rate limit), -32603 internal error, -32000 generic server error (often
    // "header not found" on a load-balanced node that lags behind its peers).
    this.retryable = code === -32005 || code === -32603 || code === -32000;
  }
}

/** Retries ran out; the sync resumes from its checkpoint later. */
export class RpcUnavailableError extends BaseError {
  override name = 'RpcUnavailableError';
  override readonly retryable = true;
}

/** The chain replaced blocks older than the reorg window, which the database can no longer undo. */
export class ReorgTooDeepError extends BaseError {
  override name = 'ReorgTooDeepError';
}

/** The database describes another chain or deployment than the one configured. */
export class ChainMismatchError extends BaseError {
  override name = 'ChainMismatchError';
}

export const isRetryable = (error: unknown): boolean =>
  error instanceof BaseError && error.retryable;
