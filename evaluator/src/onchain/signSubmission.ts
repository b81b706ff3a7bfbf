import { evidenceRegistryAbi } from '@charter/contracts/abis';
import { evidenceDomain, submissionTypes } from '@charter/contracts/protocol';
import type { Address, Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import type { Report } from '../reports/types.js';
import type { CharterConnection } from './connect.js';
import { reportEvidence } from './evidence.js';
import { sendWrite } from './sendWrite.js';
import { explainRevert, preflight, resultIdOf, type SubmitOutcome } from './submitResult.js';

/** A result signed by an evaluator (EIP-712), for anyone to relay; JSON-safe (integers as strings). */
export interface SignedSubmission {
  chainId: number;
  evidenceRegistry: Address;
  evaluator: Address;
  deadline: string;
  signature: Hex;
  submission: {
    modelId: Hex;
    suiteId: Hex;
    metricIds: Hex[];
    values: string[];
    reportDigest: Hex;
    samplesRoot: Hex;
    uri: string;
  };
}

/** Signs a report's result for a relayer. The signature uses the evaluator's current nonce. */
export async function signSubmission(
  connection: CharterConnection,
  report: Report,
  uri: string,
  validForSeconds = 24 * 60 * 60,
): Promise<SignedSubmission> {
  const { wallet, account, deployment } = connection;
  if (!wallet || !account) throw new EvaluatorError('signing needs a private key');
  const evidence = reportEvidence(report, uri);
  const existing = await preflight(connection, report, evidence, account.address);
  if (existing) {
    throw new EvaluatorError(
      `this report is already on-chain as result ${existing.resultId}: nothing to sign`,
      {
        resultId: existing.resultId,
      },
    );
  }
  const { evidenceRegistry } = deployment.contracts;
  const nonce = await connection.public.readContract({
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'nonces',
    args: [account.address],
  });
  // The chain's clock, not this machine's: the contract compares the deadline with block.timestamp.
  const { timestamp } = await connection.public.getBlock();
  const deadline = timestamp + BigInt(validForSeconds);
  const signature = await wallet.signTypedData({
    domain: evidenceDomain(deployment.chainId, evidenceRegistry),
    types: submissionTypes,
    primaryType: 'Submission',
    message: { ...evidence, evaluator: account.address, nonce, deadline },
  });
  return {
    chainId: deployment.chainId,
    evidenceRegistry,
    evaluator: account.address,
    deadline: deadline.toString(),
    signature,
    submission: { ...evidence, values: evidence.values.map(String) },
  };
}

/** Sends a signed result as the connection's account (the relayer), who pays the gas. */
export async function relaySubmission(
  connection: CharterConnection,
  signed: SignedSubmission,
): Promise<SubmitOutcome> {
  const { wallet, account } = connection;
  if (!wallet || !account) throw new EvaluatorError('relaying needs a private key');
  if (
    signed.evidenceRegistry.toLowerCase() !==
    connection.deployment.contracts.evidenceRegistry.toLowerCase()
  ) {
    throw new EvaluatorError('the signed result is for another evidence registry', {
      signedFor: signed.evidenceRegistry,
    });
  }
  const submission = { ...signed.submission, values: signed.submission.values.map(BigInt) };
  try {
    const call = {
      address: signed.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'submitResultWithSignature',
      args: [submission, signed.evaluator, BigInt(signed.deadline), signed.signature],
    } as const;
    await connection.public.simulateContract({ account, ...call });
    const { txHash } = await sendWrite(connection, call);
    return {
      status: 'submitted',
      resultId: resultIdOf(submission.modelId, submission.suiteId, signed.evaluator),
      txHash,
    };
  } catch (error) {
    throw explainRevert('submitResultWithSignature', error);
  }
}
