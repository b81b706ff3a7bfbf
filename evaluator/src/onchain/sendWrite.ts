import {
  confirmWrite,
  gasLimitFor,
  measureBlockTime,
  OutOfGasError,
  pollingIntervalFor,
  RevertedTransactionError,
} from '@charter/contracts';
import {
  encodeFunctionData,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';

import { EvaluatorError } from '../errors.js';
import type { CharterConnection } from './connect.js';
import { OnChainExitCode, TransactionRevertedError } from './errors.js';

/** A write that used all the gas it was given: sending it again unchanged would fail the same way. */
export class WriteOutOfGasError extends EvaluatorError {
  override name = 'WriteOutOfGasError';
  override readonly exitCode = OnChainExitCode.Refused;
}

export interface ContractWrite {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** Wei sent with the call (a payable function: a bond, a dispute). */
  value?: bigint;
}

/**
 * Sends a contract call as the connection's account with the shared gas rule (the estimate against the
 * pending state plus headroom) and waits for its receipt at the chain's pace. An out-of-gas failure is
 * explained, with the gas used and given, and not retried.
 */
export async function sendWrite(
  connection: CharterConnection,
  call: ContractWrite,
  options: {
    /** A gas limit to send with instead of the rule's, for a write to repeat with more after running out. */
    gas?: bigint;
    /** Called with the hash once sent, before the receipt: a caller that must not send twice records it. */
    onSent?: (txHash: Hex) => Promise<void> | void;
  } = {},
): Promise<{ txHash: Hex; receipt: TransactionReceipt }> {
  const { wallet, account } = connection;
  if (!wallet || !account) throw new EvaluatorError(`${call.functionName} needs a private key`);
  const data = encodeFunctionData({
    abi: call.abi,
    functionName: call.functionName,
    args: call.args,
  } as Parameters<typeof encodeFunctionData>[0]);
  const gas =
    options.gas ??
    (await gasLimitFor(connection.public, { account, to: call.address, data, value: call.value }));
  const [txHash, blockTime] = await Promise.all([
    wallet.sendTransaction({ to: call.address, data, gas, value: call.value }),
    measureBlockTime(connection.public),
  ]);
  await options.onSent?.(txHash);
  try {
    const receipt = await confirmWrite(connection.public, txHash, {
      what: call.functionName,
      gasLimit: gas,
      pollingInterval: pollingIntervalFor(blockTime),
    });
    return { txHash, receipt };
  } catch (error) {
    if (error instanceof OutOfGasError) {
      throw new WriteOutOfGasError(
        error.message,
        { txHash, gasUsed: error.gasUsed, gasLimit: error.gasLimit },
        { cause: error },
      );
    }
    if (error instanceof RevertedTransactionError) {
      throw new TransactionRevertedError(error.message, { txHash }, { cause: error });
    }
    throw error;
  }
}
