/**
 * Every failure the evaluator reports on purpose is an EvaluatorError: a short message a person
 * can act on, `details` with the offending values, the underlying `cause`, and `exitCode` for
 * the CLI. `retryable` separates transient faults (a timeout) from bad input (a changed dataset).
 */
export class EvaluatorError extends Error {
  override name = 'EvaluatorError';
  readonly details: Record<string, unknown>;
  readonly exitCode: number = ExitCode.Failure;
  readonly retryable: boolean = false;

  constructor(
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.details = details;
  }
}

/** Exit codes of `charter-eval`; documented in the README. */
export const ExitCode = {
  Ok: 0,
  /** Unexpected failure, or `verify` found that a report does not reproduce. */
  Failure: 1,
  /** Bad input: invalid suite, unknown metric, unreadable or corrupt model, bad arguments. */
  BadInput: 2,
  /** Integrity: a dataset or report whose digest does not match what it claims. */
  Integrity: 3,
  /** The runner failed: device, server or network. */
  Runner: 4,
  /** `--device webgpu`: no WebGPU adapter could be created (no Vulkan loader or driver, or Dawn refused). */
  AdapterUnavailable: 10,
  /** The device's execution provider cannot run this model (a kernel or shader it lacks, a buffer too large). */
  DeviceUnsupportedModel: 11,
  /** `verify`: the report was made on a device this host cannot replay; pass --device to verify elsewhere. */
  NotReplayable: 12,
} as const;

export class SuiteInvalidError extends EvaluatorError {
  override name = 'SuiteInvalidError';
  override readonly exitCode = ExitCode.BadInput;
}

export class UnknownMetricError extends EvaluatorError {
  override name = 'UnknownMetricError';
  override readonly exitCode = ExitCode.BadInput;
}

export class DatasetDigestMismatchError extends EvaluatorError {
  override name = 'DatasetDigestMismatchError';
  override readonly exitCode = ExitCode.Integrity;
}

export class DatasetNotFoundError extends EvaluatorError {
  override name = 'DatasetNotFoundError';
  override readonly exitCode = ExitCode.BadInput;
}

export class DatasetInvalidError extends EvaluatorError {
  override name = 'DatasetInvalidError';
  override readonly exitCode = ExitCode.BadInput;
}

export class ModelInvalidError extends EvaluatorError {
  override name = 'ModelInvalidError';
  override readonly exitCode = ExitCode.BadInput;
}

export class ModelDigestMismatchError extends EvaluatorError {
  override name = 'ModelDigestMismatchError';
  override readonly exitCode = ExitCode.Integrity;
}

export class SuiteMismatchError extends EvaluatorError {
  override name = 'SuiteMismatchError';
  override readonly exitCode = ExitCode.Integrity;
}

export class ReportInvalidError extends EvaluatorError {
  override name = 'ReportInvalidError';
  override readonly exitCode = ExitCode.BadInput;
}

export class ReportDigestMismatchError extends EvaluatorError {
  override name = 'ReportDigestMismatchError';
  override readonly exitCode = ExitCode.Integrity;
}

export class DeviceUnavailableError extends EvaluatorError {
  override name = 'DeviceUnavailableError';
  override readonly exitCode = ExitCode.Runner;
}

export class AdapterUnavailableError extends EvaluatorError {
  override name = 'AdapterUnavailableError';
  override readonly exitCode = ExitCode.AdapterUnavailable;
}

export class DeviceUnsupportedModelError extends EvaluatorError {
  override name = 'DeviceUnsupportedModelError';
  override readonly exitCode = ExitCode.DeviceUnsupportedModel;
}

export class NotReplayableError extends EvaluatorError {
  override name = 'NotReplayableError';
  override readonly exitCode = ExitCode.NotReplayable;
}

export class RunnerError extends EvaluatorError {
  override name = 'RunnerError';
  override readonly exitCode = ExitCode.Runner;
  override readonly retryable: boolean;

  constructor(
    message: string,
    details: Record<string, unknown> & { retryable?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    super(message, details, options);
    this.retryable = details.retryable ?? false;
  }
}
