// The evaluator's library API: the CLI is a thin layer over these functions.

export * from './errors.js';

export { loadSuite, BUNDLED_SUITES_DIR } from './suites/loadSuite.js';
export { listSuites } from './suites/listSuites.js';
export { parseSuite } from './suites/parseSuite.js';
export { suiteId, datasetDigest } from './suites/suiteId.js';
export type * from './suites/types.js';
export { DEFAULT_SCORE_DECIMALS, scoreDecimalsOf } from './suites/types.js';

export { loadSamples } from './datasets/loadSamples.js';
export { readDataset, hashDataset } from './datasets/readDataset.js';
export { inHoldout } from './datasets/holdout.js';
export { messageText } from './datasets/messageText.js';
export { obfuscate } from './datasets/obfuscate.js';
export type * from './datasets/types.js';

export {
  METRICS,
  isKnownMetric,
  type Confusion,
  type MetricDefinition,
} from './metrics/metrics.js';
export { computeMetrics, type MetricValue } from './metrics/computeMetrics.js';

export { modelDigest, modelManifest } from './models/modelDigest.js';

export {
  createTransformersRunner,
  type TransformersRunnerOptions,
} from './runners/createTransformersRunner.js';
export { createHttpRunner, type HttpRunnerOptions } from './runners/createHttpRunner.js';
export { createWordPieceEncoder, type WordPieceEncoder } from './runners/createWordPieceEncoder.js';
export {
  probeWebGpuAdapter,
  type AdapterFacts,
  type AdapterProbe,
} from './runners/probeWebGpuAdapter.js';
export type * from './runners/types.js';

export { runSuite, type RunSuiteOptions, type SuiteRun } from './run/runSuite.js';
export { evaluateModel, type EvaluateModelOptions } from './run/evaluateModel.js';
export { judgeGeneration } from './run/judgeGeneration.js';
export { scoreOutcome, scoreStep } from './run/scoreOutcome.js';

export { createReport, type CreateReportOptions } from './reports/createReport.js';
export { writeReport } from './reports/writeReport.js';
export { readReport, checkReport } from './reports/readReport.js';
export {
  verifyReport,
  differingSamples,
  type VerifyOptions,
  type VerifyResult,
  type SampleDifference,
  type Verdict,
  type NotReplayed,
} from './reports/verifyReport.js';
export { reportDigest } from './reports/reportDigest.js';
export { alterReport } from './reports/alterReport.js';
export { samplesTree, SAMPLE_LEAF_ENCODING, type SampleLeaf } from './reports/samplesTree.js';
export { hostFacts } from './reports/hostFacts.js';
export * from './reports/types.js';

// A metric's on-chain id is the protocol's short-name encoding.
export { shortNameToBytes32 as metricId } from '@charter/contracts/protocol';
export {
  suiteRegistration,
  reportEvidence,
  sampleProof,
  type SuiteRegistration,
  type ReportEvidence,
} from './onchain/evidence.js';

export {
  trainModel,
  trainingSamples,
  type TrainConfig,
  type TrainResult,
} from './train/trainModel.js';
export { exportOnnx, type FastTextWeights } from './train/exportOnnx.js';

export { canonicalJson } from './util/canonicalJson.js';
export { sha256, isHex32, type Hex32 } from './util/sha256.js';
export { fileManifest, manifestDigest, type ManifestEntry } from './util/fileManifest.js';
export { WAD, ratioToWad, probabilityToWad, formatWad } from './util/wad.js';

export { connectCharter, type CharterConnection } from './onchain/connect.js';
export { submitResult, resultIdOf, type SubmitOutcome } from './onchain/submitResult.js';
export {
  signSubmission,
  relaySubmission,
  type SignedSubmission,
} from './onchain/signSubmission.js';
export {
  checkModel,
  checkDigest,
  checkPolicy,
  type CheckOptions,
  type ModelCheck,
  type PolicyVerdict,
} from './onchain/checkModel.js';
export { watch, type WatchOptions } from './onchain/watch.js';
export {
  findResult,
  chainResult,
  checkAgainstChain,
  disputeResult,
  listDisputes,
  firstDisputableSample,
  type ChainResult,
  type ChainDispute,
  type DisputeSent,
} from './onchain/disputes.js';
export {
  bond,
  unbond,
  withdrawBond,
  withdrawCredit,
  stakeOf,
  type Stake,
} from './onchain/stake.js';
export { fetchReport } from './onchain/fetchReport.js';
export { fetchModel } from './onchain/fetchModel.js';
export { describeRevert, type DecodedRevert } from './onchain/describeRevert.js';
export * from './onchain/errors.js';

export {
  loadGuardedModel,
  type GuardedModel,
  type GuardedModelOptions,
} from './guard/loadGuardedModel.js';
export { ModelNotApprovedError } from './guard/errors.js';
