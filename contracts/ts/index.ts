export * from './generated/abis';
export * from './generated/bytecode';
export { anvilBinary, freePort, startAnvil } from './anvil';
export { ANVIL_MNEMONIC, anvilPrivateKey } from './devAccounts';
export type { Anvil, AnvilOptions } from './anvil';
export {
  defaultDeployConfig,
  defaultEvidenceGame,
  deployCharter,
  DeployConfigError,
  DeployResumeError,
  LOCAL_CHAIN_ID,
  parseDeployConfig,
  proposalLifetime,
} from './deploy';
export type { DeployConfig, DeployConfigOverrides, DeployOptions } from './deploy';
export {
  defaultDeploymentsDir,
  deploymentCandidates,
  DeploymentFileError,
  DeploymentNotFoundError,
  deploymentPath,
  findDeployment,
  findLiveDeployment,
  invocationDir,
  loadDeployment,
  repositoryRoot,
  stackDataDir,
  userPath,
  writeDeployment,
} from './deployments';
export type { Deployment, DeploymentSource } from './deployments';
export {
  action,
  approvalAction,
  approvalTerms,
  approveCall,
  DEFAULT_APPROVAL_EXPIRY,
  DevChain,
  resolveDisputeAction,
  setGameParametersAction,
  setResolverAction,
} from './devGovernance';
export type { ApprovalTerms } from './devGovernance';
export { proposalArgs, proposalId } from './protocol';
export type { ProposalAction } from './protocol';
export {
  choosePollingInterval,
  measureBlockTime,
  onDemandPollingInterval,
  pollingIntervalFor,
} from './chainTiming';
export {
  confirmWrite,
  GAS_HEADROOM,
  gasLimitFor,
  OutOfGasError,
  RevertedTransactionError,
  withHeadroom,
} from './writes';
export type { WriteRequest } from './writes';
