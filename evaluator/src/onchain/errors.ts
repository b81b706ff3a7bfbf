import { EvaluatorError, ExitCode } from '../errors.js';

/** Exit codes of the on-chain commands, after those of `ExitCode`. */
export const OnChainExitCode = {
  /**
   * The chain refused, or would: a reverted transaction, a key that is not an admitted evaluator, a dispute
   * or bond said to be refused before sending (a closed challenge window, a dispute of one's own already
   * open, a bond still unbonding).
   */
  Refused: 5,
  /** `check`: the artifact is not an approved version (candidate, deprecated, revoked or unknown). */
  NotApproved: 6,
  /** The chain could not be reached. */
  Unreachable: 7,
  /**
   * `check`: the artifact is an approved version that the guardian suspended in an emergency: do not load
   * it now; it may become approved again when the suspension is lifted or lapses.
   */
  Suspended: 8,
} as const;

/** The key is not an admitted evaluator: nothing was submitted. */
export class NotAdmittedError extends EvaluatorError {
  override name = 'NotAdmittedError';
  override readonly exitCode = OnChainExitCode.Refused;
}

/** The report's suite is not registered on-chain, or with another dataset or metrics. */
export class SuiteNotRegisteredError extends EvaluatorError {
  override name = 'SuiteNotRegisteredError';
  override readonly exitCode = OnChainExitCode.Refused;
}

/** A transaction reverted; `details.error` is the decoded custom error. */
export class TransactionRevertedError extends EvaluatorError {
  override name = 'TransactionRevertedError';
  override readonly exitCode = OnChainExitCode.Refused;
}

/** A model artifact that could not be fetched from its URI. */
export class ModelFetchError extends EvaluatorError {
  override name = 'ModelFetchError';
  override readonly exitCode = 4;
  override readonly retryable = true;
}

export class ChainUnreachableError extends EvaluatorError {
  override name = 'ChainUnreachableError';
  override readonly exitCode = OnChainExitCode.Unreachable;
  override readonly retryable = true;
}

/** No deployments file could be read: bad input, the message says which files and what to pass. */
export class DeploymentMissingError extends EvaluatorError {
  override name = 'DeploymentMissingError';
  override readonly exitCode = ExitCode.BadInput;
}

/** The indexer follows another deployment than the one named: bad configuration, not retried. */
export class IndexerMismatchError extends EvaluatorError {
  override name = 'IndexerMismatchError';
  override readonly exitCode = ExitCode.BadInput;
}

/** A report that could not be fetched from the URI a result names. */
export class ReportFetchError extends EvaluatorError {
  override name = 'ReportFetchError';
  override readonly exitCode = ExitCode.Runner;
  override readonly retryable = true;
}

/** No result with that id was ever posted on this deployment. */
export class ResultNotFoundError extends EvaluatorError {
  override name = 'ResultNotFoundError';
  override readonly exitCode = ExitCode.BadInput;
}

/** The report served for a result is not the one the chain records (digest or samples root). */
export class ReportNotOnChainError extends EvaluatorError {
  override name = 'ReportNotOnChainError';
  override readonly exitCode = ExitCode.Integrity;
}

/** A dispute that cannot be made, or would be refused, said before anything is sent. */
export class DisputeRefusedError extends EvaluatorError {
  override name = 'DisputeRefusedError';
  override readonly exitCode = OnChainExitCode.Refused;
}

/** Bad input for a dispute: a sample the report lacks, an own report of another model or suite. */
export class DisputeInputError extends EvaluatorError {
  override name = 'DisputeInputError';
  override readonly exitCode = ExitCode.BadInput;
}

/** A bond, unbond or withdrawal the chain would refuse, said before anything is sent. */
export class StakeRefusedError extends EvaluatorError {
  override name = 'StakeRefusedError';
  override readonly exitCode = OnChainExitCode.Refused;
}
