import { describeCharterError, type ErrorContext } from '@charter/contracts/protocol';
import { BaseError, ContractFunctionRevertedError } from 'viem';

/** A custom error decoded from a revert, by name and in a person's words. */
export interface DecodedRevert {
  name: string;
  args: readonly unknown[];
  /**
   * The protocol's catalogue's words, the same the web app and the API print, e.g. "Rule 1 is not met: f1
   * must be at least 0.9; the best result short of it is 0.7165, and 0 of the 1 evaluators required meet it."
   */
  words: string;
}

/** The custom error inside a viem error, if the revert carried one the ABI knows. */
export function describeRevert(error: unknown, context?: ErrorContext): DecodedRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data) return undefined;
  const { errorName, args = [] } = reverted.data;
  return { name: errorName, args, words: describeCharterError(errorName, args, context) };
}
