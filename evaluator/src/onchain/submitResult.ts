import { evidenceRegistryAbi } from '@charter/contracts/abis';
import { resultId } from '@charter/contracts/protocol';
import type { Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import type { Report } from '../reports/types.js';
import type { CharterConnection } from './connect.js';
import { describeRevert } from './describeRevert.js';
import { NotAdmittedError, SuiteNotRegisteredError, TransactionRevertedError } from './errors.js';
import { reportEvidence, type ReportEvidence } from './evidence.js';
import { sendWrite } from './sendWrite.js';

export type SubmitOutcome =
  | { status: 'submitted'; resultId: Hex; txHash: Hex }
  | { status: 'already-on-chain'; resultId: Hex };

/** The contract's id of the live result slot of (model, suite, evaluator): the protocol's `resultId`. */
export const resultIdOf = resultId;

/**
 * Posts a report's result on-chain as the connection's evaluator. Checks first, so that nothing is sent
 * that the contract would refuse: the key must be an admitted evaluator and the suite registered with the
 * report's dataset. A result already on-chain (same report) is not posted again. A revert is explained
 * with the decoded custom error.
 */
export async function submitResult(
  connection: CharterConnection,
  report: Report,
  uri: string,
): Promise<SubmitOutcome> {
  const { wallet, account } = connection;
  if (!wallet || !account) throw new EvaluatorError('submitting needs a private key');
  const evidence = reportEvidence(report, uri);
  const existing = await preflight(connection, report, evidence, account.address);
  if (existing) return existing;

  const { evidenceRegistry } = connection.deployment.contracts;
  try {
    // Simulated first so that a refusal is explained with the contract's custom error before anything is sent.
    const call = {
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'submitResult',
      args: [evidence],
    } as const;
    await connection.public.simulateContract({ account, ...call });
    const { txHash } = await sendWrite(connection, call);
    return {
      status: 'submitted',
      resultId: resultIdOf(evidence.modelId, evidence.suiteId, account.address),
      txHash,
    };
  } catch (error) {
    throw explainRevert('submitResult', error);
  }
}

/**
 * What must hold before a result is sent: the evaluator is admitted and the suite registered as the report
 * ran it. Returns the outcome when this very report is already on-chain.
 */
export async function preflight(
  connection: CharterConnection,
  report: Report,
  evidence: ReportEvidence,
  evaluator: Hex,
): Promise<SubmitOutcome | undefined> {
  const { evidenceRegistry } = connection.deployment.contracts;
  const read = connection.public.readContract;
  const [admitted, [datasetDigest, metricIds], [live]] = await Promise.all([
    read({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'isEvaluator',
      args: [evaluator],
    }),
    read({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'suite',
      args: [evidence.suiteId],
    }),
    read({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'result',
      args: [evidence.modelId, evidence.suiteId, evaluator],
    }),
  ]);
  if (!admitted) {
    throw new NotAdmittedError(
      `${evaluator} is not an admitted evaluator of ${evidenceRegistry}: nothing was submitted`,
      { evaluator, evidenceRegistry },
    );
  }
  if (metricIds.length === 0) {
    throw new SuiteNotRegisteredError(
      `suite ${report.suite.name} (${evidence.suiteId}) is not registered on-chain: nothing was submitted`,
      { suiteId: evidence.suiteId },
    );
  }
  if (datasetDigest !== report.suite.datasetDigest) {
    throw new SuiteNotRegisteredError(
      `suite ${report.suite.name} is registered with dataset ${datasetDigest}, but the report ran on ${report.suite.datasetDigest}: nothing was submitted`,
      { registered: datasetDigest, report: report.suite.datasetDigest },
    );
  }
  if (live.status !== 0 && live.reportDigest === evidence.reportDigest) {
    return {
      status: 'already-on-chain',
      resultId: resultIdOf(evidence.modelId, evidence.suiteId, evaluator),
    };
  }
  return undefined;
}

/** A viem error as a TransactionRevertedError naming the custom error, or unchanged if it is not a revert. */
export function explainRevert(what: string, error: unknown): unknown {
  if (error instanceof EvaluatorError) return error;
  const revert = describeRevert(error);
  if (!revert) return error;
  return new TransactionRevertedError(
    `${what} reverted: ${revert.words}`,
    { error: revert.name, args: revert.args },
    { cause: error },
  );
}
