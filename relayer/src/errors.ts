import { BaseError } from '@charter/indexer';

export { BaseError, ConfigError } from '@charter/indexer';

/**
 * Why a ballot is refused before anything is sent: the HTTP status, the API's error code, and a message in
 * words. `extra` adds fields to the answer (the existing ballot's id, the decoded revert's name).
 */
export class BallotRefused extends BaseError {
  override name = 'BallotRefused';

  constructor(
    readonly status: 400 | 401 | 403 | 409 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message, extra);
  }
}

/** A malformed field of a ballot. */
export class BadBallot extends BallotRefused {
  override name = 'BadBallot';
  constructor(parameter: string, message: string) {
    super(400, 'bad_request', message, { parameter });
  }
}
