import { evidenceRegistryAbi } from '@charter/contracts/abis';
import {
  disputeLapsesAt,
  disputeStatusOf,
  formatWad,
  resultId as resultIdOf,
  resultStatuses,
  type DisputeStatus,
  type ResultStatus,
} from '@charter/contracts/protocol';
import { decodeEventLog, type Address, type Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import type { SampleDifference } from '../reports/verifyReport.js';
import type { Report } from '../reports/types.js';
import type { CharterConnection } from './connect.js';
import {
  DisputeInputError,
  DisputeRefusedError,
  ReportNotOnChainError,
  ResultNotFoundError,
} from './errors.js';
import { sampleProof } from './evidence.js';
import { sendWrite } from './sendWrite.js';
import { explainRevert } from './submitResult.js';

/** A result's live version as the chain records it, with where its report is served and its window. */
export interface ChainResult {
  resultId: Hex;
  modelId: Hex;
  suiteId: Hex;
  evaluator: Address;
  reportDigest: Hex;
  samplesRoot: Hex;
  /** From the ResultSubmitted event of this version. */
  uri: string;
  status: ResultStatus;
  /** Unix seconds. */
  submittedAt: number;
  /** When the challenge window closes and the result may count (Unix seconds). */
  countsFrom: number;
}

/** One sample's outcome: as committed in a report's Merkle root, or as another party obtained it. */
export interface SampleOutcome {
  id: string;
  label: number;
  prediction: number;
  score: string;
}

export interface DisputeSent {
  disputeId: bigint;
  txHash: Hex;
  resultId: Hex;
  reportDigest: Hex;
  committed: SampleOutcome;
  claimed: { prediction: number; score: string; reportDigest: Hex; uri: string };
  /** Wei. */
  bond: bigint;
  /** When it resolves by default (rejected) unless governance or the resolver resolves it (Unix seconds). */
  lapsesAt: number;
}

/** A dispute as the chain records it, with the sample and both outcomes from its event. */
export interface ChainDispute {
  disputeId: bigint;
  resultId: Hex;
  reportDigest: Hex;
  evaluator: Address;
  disputer: Address;
  status: DisputeStatus;
  /** Wei. */
  bond: bigint;
  openedAt: number;
  lapsesAt: number;
  committed: SampleOutcome;
  claimed: { prediction: number; score: string; reportDigest: Hex; uri: string };
  txHash: Hex;
}

const registry = (connection: CharterConnection) =>
  connection.deployment.contracts.evidenceRegistry;

/**
 * The live version of a result by its id: the chain's `result` for the (model, suite, evaluator) that
 * the id's latest ResultSubmitted event names, and the URI that event gave for that very report.
 */
export async function findResult(
  connection: CharterConnection,
  resultId: Hex,
): Promise<ChainResult> {
  const address = registry(connection);
  const submitted = await connection.public.getContractEvents({
    address,
    abi: evidenceRegistryAbi,
    eventName: 'ResultSubmitted',
    args: { resultId },
    fromBlock: BigInt(connection.deployment.deploymentBlock),
  });
  const latest = submitted.at(-1)?.args;
  if (!latest?.modelId || !latest.suiteId || !latest.evaluator)
    throw new ResultNotFoundError(
      `no result ${resultId} was posted on evidence registry ${address}`,
      { resultId, evidenceRegistry: address },
    );
  const live = await chainResult(connection, latest.modelId, latest.suiteId, latest.evaluator, '');
  // The event of the live version; an older version may share its digest (re-posted after a strike).
  const version = submitted.findLast((e) => e.args.reportDigest === live.reportDigest)?.args;
  return { ...live, uri: version?.uri ?? latest.uri ?? '' };
}

/** The live version of (model, suite, evaluator)'s result on the chain now; `uri` as the caller knows it. */
export async function chainResult(
  connection: CharterConnection,
  modelId: Hex,
  suiteId: Hex,
  evaluator: Address,
  uri: string,
): Promise<ChainResult> {
  const address = registry(connection);
  const resultId = resultIdOf(modelId, suiteId, evaluator);
  const [[live], countsFrom] = await Promise.all([
    connection.public.readContract({
      address,
      abi: evidenceRegistryAbi,
      functionName: 'result',
      args: [modelId, suiteId, evaluator],
    }),
    connection.public.readContract({
      address,
      abi: evidenceRegistryAbi,
      functionName: 'countsFrom',
      args: [resultId],
    }),
  ]);
  return {
    resultId,
    modelId,
    suiteId,
    evaluator,
    reportDigest: live.reportDigest,
    samplesRoot: live.samplesRoot,
    uri,
    status: resultStatuses[live.status] ?? 'none',
    submittedAt: Number(live.submittedAt),
    countsFrom: Number(countsFrom),
  };
}

/** Refuses a fetched report that is not the one the chain records for the result's live version. */
export function checkAgainstChain(report: Report, result: ChainResult): void {
  const problems = [
    report.digest !== result.reportDigest &&
      `its digest is ${report.digest}, but the chain records ${result.reportDigest}`,
    report.samplesRoot !== result.samplesRoot &&
      `its samples root is ${report.samplesRoot}, but the chain records ${result.samplesRoot}`,
    report.model.digest !== result.modelId &&
      `it is of model ${report.model.digest}, not ${result.modelId}`,
    report.suite.id !== result.suiteId &&
      `it is of suite ${report.suite.id}, not ${result.suiteId}`,
  ].filter(Boolean);
  if (problems.length)
    throw new ReportNotOnChainError(
      `the report at ${result.uri} is not the one result ${result.resultId} commits to: ${problems.join('; ')}`,
      {
        resultId: result.resultId,
        uri: result.uri,
        reported: report.digest,
        onChain: result.reportDigest,
      },
    );
}

/**
 * The first sample whose outcome the other run contradicts beyond the suite's declared precision, with
 * an outcome on both sides and a (prediction, score) that differs (a dispute claims those two).
 */
export function firstDisputableSample(
  differences: readonly SampleDifference[],
): (SampleDifference & { expected: SampleOutcome; actual: SampleOutcome }) | undefined {
  return differences.find(
    (d): d is SampleDifference & { expected: SampleOutcome; actual: SampleOutcome } =>
      d.expected !== undefined &&
      d.actual !== undefined &&
      !d.withinPrecision &&
      (d.actual.prediction !== d.expected.prediction || d.actual.score !== d.expected.score),
  );
}

/** The chain's time now (the latest block's timestamp), in Unix seconds. */
export async function chainNow(connection: CharterConnection): Promise<number> {
  return Number((await connection.public.getBlock({ blockTag: 'latest' })).timestamp);
}

/**
 * Why the connection's account cannot dispute this result's live version now, or undefined: the window
 * closed, the result struck or never posted, its own result, or a dispute of its own on this version
 * (open, or rejected: barred). Said before anything is fetched, re-run or sent.
 */
export async function disputeObstacle(
  connection: CharterConnection,
  result: ChainResult,
): Promise<{ why: string; reason: string; dispute?: ChainDispute } | undefined> {
  const disputer = connection.account?.address;
  if (disputer?.toLowerCase() === result.evaluator.toLowerCase())
    return { reason: 'self', why: `result ${result.resultId} is your own (${disputer})` };
  if (result.status === 'struck' || result.status === 'none')
    return { reason: result.status, why: `result ${result.resultId} is ${result.status}` };
  const now = await chainNow(connection);
  // The contract's rule: disputable while block.timestamp < countsFrom.
  if (now >= result.countsFrom)
    return {
      reason: 'window-closed',
      why: `the challenge window of result ${result.resultId} closed at ${isoTime(result.countsFrom)}`,
    };
  if (!disputer) return undefined;
  const mine = (await listDisputes(connection, { resultId: result.resultId, disputer })).find(
    (d) => d.reportDigest === result.reportDigest,
  );
  // The contract lets a party hold several open disputes on one version (each with a bond): one is enough.
  if (mine?.status === 'open' || mine?.status === 'upheld')
    return {
      reason: 'already-disputed',
      why: `you already dispute this version of result ${result.resultId}: dispute #${mine.disputeId} (${mine.status})`,
      dispute: mine,
    };
  if (mine?.status === 'rejected')
    return {
      reason: 'barred',
      why: `your dispute #${mine.disputeId} on this version of result ${result.resultId} was rejected: you may not dispute it again`,
      dispute: mine,
    };
  return undefined;
}

/**
 * Disputes a result's live version, naming one sample: the leaf as committed (from the result's own
 * report, checked against the chain) with its Merkle proof, the outcome the disputer obtained, and the
 * disputer's report. Pays the dispute bond the chain asks for now. Refusals are said before sending,
 * and a revert is explained with the contract's custom error.
 */
export async function disputeResult(
  connection: CharterConnection,
  options: {
    result: ChainResult;
    /** The result's report, fetched from its URI and checked (`checkAgainstChain`). */
    report: Report;
    sampleId: string;
    claim: { prediction: number; score: string | bigint };
    /** The disputer's report: its digest and where it is served. */
    own: { reportDigest: Hex; uri: string };
    /** Called with the transaction's hash once sent, before its receipt (see `sendWrite`). */
    onSent?: (txHash: Hex) => Promise<void> | void;
  },
): Promise<DisputeSent> {
  const { result, report, sampleId, claim, own } = options;
  const { account } = connection;
  if (!account) throw new EvaluatorError('disputing needs a private key');
  checkAgainstChain(report, result);
  const obstacle = await disputeObstacle(connection, result);
  if (obstacle)
    throw new DisputeRefusedError(`cannot dispute: ${obstacle.why}; nothing was sent`, {
      resultId: result.resultId,
      reason: obstacle.reason,
    });
  const committed = report.samples.find((s) => s.id === sampleId);
  if (!committed)
    throw new DisputeInputError(
      `the report of result ${result.resultId} has no sample "${sampleId}" (it has ${report.samples.length} samples, e.g. "${report.samples[0]?.id ?? ''}")`,
      { resultId: result.resultId, sampleId },
    );
  const score = BigInt(claim.score);
  if (claim.prediction === committed.prediction && score === BigInt(committed.score))
    throw new DisputeInputError(
      `your outcome for sample "${sampleId}" is the committed one (prediction ${committed.prediction}, score ${formatWad(score, 6)}): nothing to dispute`,
      { resultId: result.resultId, sampleId },
    );
  const { leaf, proof } = sampleProof(report, sampleId);
  const parameters = await connection.public.readContract({
    address: registry(connection),
    abi: evidenceRegistryAbi,
    functionName: 'gameParameters',
  });
  const call = {
    address: registry(connection),
    abi: evidenceRegistryAbi,
    functionName: 'dispute',
    args: [
      result.modelId,
      result.suiteId,
      result.evaluator,
      result.reportDigest,
      { id: leaf[0], label: leaf[1], prediction: leaf[2], score: leaf[3] },
      proof,
      { prediction: BigInt(claim.prediction), score, reportDigest: own.reportDigest, uri: own.uri },
    ],
    value: parameters.disputeBond,
  } as const;
  let sent: { txHash: Hex; receipt: Awaited<ReturnType<typeof sendWrite>>['receipt'] };
  try {
    // Simulated first, so that a refusal is explained with the contract's custom error before anything is
    // sent. The contract does not refuse a second dispute of the same party on a version (each pays a
    // bond): `disputeObstacle` above is what keeps it to one.
    await connection.public.simulateContract({ account, ...call });
    sent = await sendWrite(connection, call, { onSent: options.onSent });
  } catch (error) {
    throw explainRevert('dispute', error);
  }
  const event = sent.receipt.logs
    .map((log) => {
      try {
        return decodeEventLog({ abi: evidenceRegistryAbi, ...log });
      } catch {
        return undefined;
      }
    })
    .find((e) => e?.eventName === 'ResultDisputed');
  const args = event?.eventName === 'ResultDisputed' ? event.args : undefined;
  return {
    disputeId: args?.disputeId ?? 0n,
    txHash: sent.txHash,
    resultId: result.resultId,
    reportDigest: result.reportDigest,
    committed,
    claimed: {
      prediction: claim.prediction,
      score: score.toString(),
      reportDigest: own.reportDigest,
      uri: own.uri,
    },
    bond: parameters.disputeBond,
    lapsesAt: Number(args?.lapsesAt ?? 0),
  };
}

/**
 * Disputes as the chain records them (ResultDisputed events joined with each dispute's status now),
 * oldest first; `lapsesAt` with the resolution timeout in force now (the contract's rule).
 */
export async function listDisputes(
  connection: CharterConnection,
  filter: { resultId?: Hex; disputer?: Address; evaluator?: Address; status?: DisputeStatus } = {},
): Promise<ChainDispute[]> {
  const address = registry(connection);
  const events = await connection.public.getContractEvents({
    address,
    abi: evidenceRegistryAbi,
    eventName: 'ResultDisputed',
    args: { resultId: filter.resultId, disputer: filter.disputer },
    fromBlock: BigInt(connection.deployment.deploymentBlock),
  });
  const matching = events.filter(
    (e) => !filter.evaluator || e.args.evaluator?.toLowerCase() === filter.evaluator.toLowerCase(),
  );
  if (matching.length === 0) return [];
  const parameters = await connection.public.readContract({
    address,
    abi: evidenceRegistryAbi,
    functionName: 'gameParameters',
  });
  const disputes = await Promise.all(
    matching.map(async (e): Promise<ChainDispute> => {
      const args = e.args as Required<typeof e.args>;
      const stored = await connection.public.readContract({
        address,
        abi: evidenceRegistryAbi,
        functionName: 'disputeOf',
        args: [args.disputeId],
      });
      const openedAt = Number(stored.openedAt);
      return {
        disputeId: args.disputeId,
        resultId: args.resultId,
        reportDigest: args.reportDigest,
        evaluator: args.evaluator,
        disputer: args.disputer,
        status: disputeStatusOf(stored.status) ?? 'open',
        bond: args.bond,
        openedAt,
        lapsesAt: Number(disputeLapsesAt(openedAt, parameters.resolutionTimeout)),
        committed: {
          id: args.committed.id,
          label: Number(args.committed.label),
          prediction: Number(args.committed.prediction),
          score: args.committed.score.toString(),
        },
        claimed: {
          prediction: Number(args.claim.prediction),
          score: args.claim.score.toString(),
          reportDigest: args.claim.reportDigest,
          uri: args.claim.uri,
        },
        txHash: e.transactionHash,
      };
    }),
  );
  return disputes.filter((d) => !filter.status || d.status === filter.status);
}

/** Unix seconds as people read them, in UTC: `2026-12-14 14:05:09 UTC`. */
export function isoTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
