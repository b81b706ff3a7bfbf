import { evidenceRegistryAbi } from '@charter/contracts/abis';
import { formatEther, type Address, type Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import type { CharterConnection } from './connect.js';
import { chainNow, isoTime } from './disputes.js';
import { NotAdmittedError, StakeRefusedError } from './errors.js';
import { sendWrite } from './sendWrite.js';
import { explainRevert } from './submitResult.js';

/** An evaluator's stake as the chain records it, in wei, with the minimum its results need. */
export interface Stake {
  evaluator: Address;
  bonded: bigint;
  unbonding: bigint;
  /** When the unbonding amount may be withdrawn (Unix seconds; 0 when nothing is unbonding). */
  unbondingReadyAt: number;
  openDisputes: number;
  minBond: bigint;
}

/** `1.5 ETH`. */
export const formatAmount = (wei: bigint): string => `${formatEther(wei)} ETH`;

export async function stakeOf(connection: CharterConnection, evaluator: Address): Promise<Stake> {
  const address = connection.deployment.contracts.evidenceRegistry;
  const [[bonded, unbonding, readyAt, openDisputes], parameters] = await Promise.all([
    connection.public.readContract({
      address,
      abi: evidenceRegistryAbi,
      functionName: 'stakeOf',
      args: [evaluator],
    }),
    connection.public.readContract({
      address,
      abi: evidenceRegistryAbi,
      functionName: 'gameParameters',
    }),
  ]);
  return {
    evaluator,
    bonded,
    unbonding,
    unbondingReadyAt: Number(readyAt),
    openDisputes: Number(openDisputes),
    minBond: parameters.minBond,
  };
}

/**
 * Adds `amount` wei to the connection's evaluator bond (admitted evaluators only: said before sending).
 * Returns the stake after it.
 */
export async function bond(
  connection: CharterConnection,
  amount: bigint,
): Promise<{ txHash: Hex; stake: Stake }> {
  const evaluator = keyOf(connection);
  const address = connection.deployment.contracts.evidenceRegistry;
  const admitted = await connection.public.readContract({
    address,
    abi: evidenceRegistryAbi,
    functionName: 'isEvaluator',
    args: [evaluator],
  });
  if (!admitted)
    throw new NotAdmittedError(
      `${evaluator} is not an admitted evaluator of ${address}: only admitted evaluators bond; nothing was sent`,
      { evaluator, evidenceRegistry: address },
    );
  const txHash = await write(connection, 'bond', [], amount);
  return { txHash, stake: await stakeOf(connection, evaluator) };
}

/** Moves `amount` wei of the active bond to unbonding; it may be withdrawn after the unbonding delay. */
export async function unbond(
  connection: CharterConnection,
  amount: bigint,
): Promise<{ txHash: Hex; stake: Stake }> {
  const evaluator = keyOf(connection);
  const before = await stakeOf(connection, evaluator);
  if (before.bonded < amount)
    throw new StakeRefusedError(
      `cannot unbond ${formatAmount(amount)}: ${evaluator} has ${formatAmount(before.bonded)} bonded; nothing was sent`,
      { bonded: before.bonded, requested: amount },
    );
  const txHash = await write(connection, 'unbond', [amount]);
  return { txHash, stake: await stakeOf(connection, evaluator) };
}

/** Pays the unbonding amount out to the evaluator, once ready and with no dispute open against it. */
export async function withdrawBond(
  connection: CharterConnection,
): Promise<{ txHash: Hex; amount: bigint; stake: Stake }> {
  const evaluator = keyOf(connection);
  const before = await stakeOf(connection, evaluator);
  if (before.unbonding === 0n)
    throw new StakeRefusedError(
      `${evaluator} has nothing unbonding to withdraw (bonded: ${formatAmount(before.bonded)}); unbond first; nothing was sent`,
      { evaluator },
    );
  if ((await chainNow(connection)) < before.unbondingReadyAt)
    throw new StakeRefusedError(
      `the ${formatAmount(before.unbonding)} unbonding can be withdrawn from ${isoTime(before.unbondingReadyAt)}; nothing was sent`,
      { readyAt: before.unbondingReadyAt },
    );
  if (before.openDisputes > 0)
    throw new StakeRefusedError(
      `${before.openDisputes} dispute(s) against ${evaluator} are open: the bond can be withdrawn once they are resolved; nothing was sent`,
      { openDisputes: before.openDisputes },
    );
  const txHash = await write(connection, 'withdrawBond', []);
  return { txHash, amount: before.unbonding, stake: await stakeOf(connection, evaluator) };
}

/**
 * Pays `account` (default: the key's) the credit the registry holds for it: a disputer's share of a slashed
 * stake with its bond back, or a rejected dispute's bond paid to the evaluator. Anyone may send it.
 */
export async function withdrawCredit(
  connection: CharterConnection,
  account?: Address,
): Promise<{ txHash: Hex; account: Address; amount: bigint }> {
  const to = account ?? keyOf(connection);
  const amount = await connection.public.readContract({
    address: connection.deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'credits',
    args: [to],
  });
  if (amount === 0n)
    throw new StakeRefusedError(`${to} has no credit to withdraw; nothing was sent`, {
      account: to,
    });
  const txHash = await write(connection, 'withdrawCredit', [to]);
  return { txHash, account: to, amount };
}

function keyOf(connection: CharterConnection): Address {
  const address = connection.account?.address;
  if (!address)
    throw new EvaluatorError('this command needs --private-key (or EVALUATOR_PRIVATE_KEY)');
  return address;
}

async function write(
  connection: CharterConnection,
  functionName: 'bond' | 'unbond' | 'withdrawBond' | 'withdrawCredit',
  args: readonly unknown[],
  value?: bigint,
): Promise<Hex> {
  const call = {
    address: connection.deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName,
    args,
    value,
  };
  try {
    await connection.public.simulateContract({
      account: connection.account!,
      ...call,
    } as Parameters<typeof connection.public.simulateContract>[0]);
    return (await sendWrite(connection, call)).txHash;
  } catch (error) {
    throw explainRevert(functionName, error);
  }
}
