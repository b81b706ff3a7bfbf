import { EvaluatorError } from '../errors.js';
import type { ModelCheck } from '../onchain/checkModel.js';
import { OnChainExitCode } from '../onchain/errors.js';

/**
 * A guarded model refused: the registry does not say this exact artifact is approved (it is a candidate,
 * suspended until a time, deprecated, revoked, or unknown). `status` and `check` say which.
 */
export class ModelNotApprovedError extends EvaluatorError {
  override name = 'ModelNotApprovedError';
  override readonly exitCode = OnChainExitCode.NotApproved;
  readonly status: ModelCheck['status'];
  readonly check: ModelCheck;

  constructor(check: ModelCheck) {
    super(`model not approved (status: ${check.status}): ${check.summary}`, {
      digest: check.digest,
      status: check.status,
      ...(check.suspendedUntil ? { suspendedUntil: check.suspendedUntil } : {}),
    });
    this.status = check.status;
    this.check = check;
  }
}
