import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  isAddress,
  isAddressEqual,
  encodeDeployData,
  encodeFunctionData,
  parseEther,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { measureBlockTime, pollingIntervalFor } from './chainTiming';
import type { Deployment } from './deployments';
import {
  charterGovernorAbi,
  charterTokenAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  timelockControllerAbi,
} from './generated/abis';
import {
  charterGovernorBytecode,
  charterTokenBytecode,
  evidenceRegistryBytecode,
  modelRegistryBytecode,
  policyRegistryBytecode,
  timelockControllerBytecode,
} from './generated/bytecode';
import type { GameParameters } from './protocol/evidenceGame';
import { confirmWrite, gasLimitFor } from './writes';

/** Governance parameters; times in seconds (the governor's clock is the block timestamp). */
export interface DeployConfig {
  tokenName: string;
  tokenSymbol: string;
  /** Whole supply, minted to the deployer, in token units (18 decimals). */
  supply: bigint;
  votingDelay: number;
  votingPeriod: number;
  /** Votes needed to propose, in token units. */
  proposalThreshold: bigint;
  /** Percentage of the supply that must vote for or abstain. */
  quorumPercent: number;
  lateQuorumVoteExtension: number;
  timelockDelay: number;
  /**
   * How long before its expiry an approval may execute (`ModelRegistry.approvalWindow`). Must cover a
   * proposal's whole life (voting delay + voting period + late-quorum extension + timelock delay), or no
   * approval could ever execute.
   */
  approvalWindow: number;
  /**
   * How long the guardian's emergency suspension lasts before it lapses (`ModelRegistry.maxSuspension`).
   * Longer than a governance cycle, so that governance can revoke a suspended version before it lapses.
   */
  maxSuspension: number;
  /**
   * The proposal guardian (a security council): cancels proposals, except those that change the
   * guardian, and suspends approved versions in an emergency. None when unset. It should be a contract (a
   * multisig or council), not one key; see `allowWeakGuardian`.
   */
  proposalGuardian?: Address;
  /** Seconds from deployment until the guardian's power ends (the governor's `guardianTermEnd`); governance renews it. */
  guardianTerm: number;
  /**
   * Deploy to a real network (chain id other than 31337) with no guardian, or with the deployer's own
   * account as guardian; refused otherwise. Not part of what is deployed (a resumed deployment may add it).
   */
  allowWeakGuardian?: boolean;
  /**
   * The evidence game (`EvidenceRegistry.GameParameters`): how long a result waits before it counts, the
   * bonds (wei of the chain's native currency), the unbonding delay, when an unresolved dispute lapses, and
   * the disputer's share of a slashed stake. Governance changes them later (`setGameParameters`).
   */
  evidenceGame: GameParameters;
  /**
   * Who besides governance resolves disputes (`EvidenceRegistry.resolver`), typically the security council;
   * none when unset, and then only a governance proposal resolves one before it lapses.
   */
  resolver?: Address;
}

/** What a caller may set: any field, and any of the evidence game's parameters (the rest keep their defaults). */
export type DeployConfigOverrides = Partial<Omit<DeployConfig, 'evidenceGame'>> & {
  evidenceGame?: Partial<GameParameters>;
};

const DAY = 60 * 60 * 24;

/**
 * The evidence game for a real network: three days to object to a result, a bond of 1 ETH behind every
 * evaluator's results and 0.1 ETH behind every dispute, two weeks to leave, ten days for the resolver or
 * governance to decide a dispute before it lapses (rejected): longer than a proposal's life with the default
 * governor (about nine days), so governance can uphold by vote when there is no resolver; and half of a
 * slashed stake to the disputer.
 */
export const defaultEvidenceGame: GameParameters = {
  challengePeriod: 3 * DAY,
  minBond: parseEther('1'),
  disputeBond: parseEther('0.1'),
  unbondingDelay: 14 * DAY,
  resolutionTimeout: 10 * DAY,
  disputerShareBps: 5000,
};

export const defaultDeployConfig: DeployConfig = {
  tokenName: 'Charter',
  tokenSymbol: 'CHR',
  supply: parseEther('1000000'),
  votingDelay: DAY,
  votingPeriod: DAY * 5,
  proposalThreshold: parseEther('1000'),
  quorumPercent: 4,
  lateQuorumVoteExtension: DAY,
  timelockDelay: DAY * 2,
  approvalWindow: DAY * 30,
  maxSuspension: DAY * 14,
  guardianTerm: DAY * 365,
  evidenceGame: defaultEvidenceGame,
};

/** The local chains' id (anvil, Hardhat): keys and accounts there are public, so weak set-ups only warn. */
export const LOCAL_CHAIN_ID = 31337;

export interface DeployOptions {
  rpcUrl: string;
  privateKey: Hex;
  config?: DeployConfigOverrides;
  /**
   * Where each step is recorded as it lands (transaction, then address), so that a rerun after a failure
   * or a kill continues from the first missing step instead of deploying everything again. Removed once
   * the deployment is complete. Without it, a deployment cannot resume.
   */
  progressFile?: string;
  /** Progress lines, one per step. */
  log?: (line: string) => void;
  /** Warnings about a weak configuration (a guardian without code, none at all); `console.warn` by default. */
  warn?: (line: string) => void;
}

/** What a deployment in progress has recorded: each step's transaction, and the contract it created. */
interface DeployProgress {
  chainId: number;
  deployer: Address;
  /** The configuration the steps were sent with; a rerun with another one is refused. */
  config: string;
  steps: Record<string, { tx: Hex; address?: Address; block?: number }>;
}

export class DeployResumeError extends Error {
  override name = 'DeployResumeError';
}

/** A configuration that cannot or must not be deployed; the message names the field and the fix. */
export class DeployConfigError extends Error {
  override name = 'DeployConfigError';
}

/** What is deployed, as the progress file records it: a rerun must deploy the same (not the permission flag). */
const configKey = ({ allowWeakGuardian: _, ...deployed }: DeployConfig) =>
  JSON.stringify(deployed, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** The longest a proposal can take from being proposed to being executable, in seconds. */
export const proposalLifetime = (config: DeployConfig): number =>
  config.votingDelay + config.votingPeriod + config.lateQuorumVoteExtension + config.timelockDelay;

/**
 * Refuses a configuration that cannot work, or (on a real network) one whose guardian is missing or is
 * the deployer, unless `allowWeakGuardian`; warns about the weak ones it lets through.
 */
async function checkConfig(
  config: DeployConfig,
  context: {
    chainId: number;
    deployer: Address;
    client: PublicClient;
    warn: (line: string) => void;
  },
): Promise<void> {
  for (const field of ['approvalWindow', 'maxSuspension', 'guardianTerm'] as const) {
    if (!Number.isInteger(config[field]) || config[field] <= 0) {
      throw new DeployConfigError(
        `${field} must be a positive whole number of seconds, not ${config[field]}`,
      );
    }
  }
  const lifetime = proposalLifetime(config);
  if (config.approvalWindow < lifetime) {
    throw new DeployConfigError(
      `approvalWindow (${config.approvalWindow} s) is shorter than a proposal's life (votingDelay + votingPeriod + lateQuorumVoteExtension + timelockDelay = ${lifetime} s): no approval could execute before it expires; raise approvalWindow`,
    );
  }
  if (config.maxSuspension < lifetime) {
    context.warn(
      `maxSuspension (${config.maxSuspension} s) is shorter than a proposal's life (${lifetime} s): a suspension lapses before governance can revoke the version`,
    );
  }

  checkEvidenceGame(config, context.warn);

  const realNetwork = context.chainId !== LOCAL_CHAIN_ID;
  const guardian = config.proposalGuardian;
  const weakness = !guardian
    ? 'no proposal guardian is configured: nobody can suspend a dangerous approved model before a full governance cycle revokes it'
    : isAddressEqual(guardian, context.deployer)
      ? `the proposal guardian is the deployer's own account ${context.deployer}: one key could cancel proposals and suspend models`
      : undefined;
  if (weakness && realNetwork && !config.allowWeakGuardian) {
    throw new DeployConfigError(
      `${weakness}. On chain ${context.chainId} (not a local chain) this is refused: name the security council's contract (a multisig) as proposalGuardian in the config file, or pass --allow-weak-guardian (config allowWeakGuardian: true) to deploy so anyway`,
    );
  }
  if (weakness) context.warn(weakness);
  if (guardian && !(await context.client.getCode({ address: guardian }))) {
    context.warn(
      `the proposal guardian ${guardian} is an account without code (one key, not a multisig or council contract): whoever holds that key can cancel proposals and suspend models alone`,
    );
  }
  const resolver = config.resolver;
  if (resolver && !(await context.client.getCode({ address: resolver }))) {
    context.warn(
      `the dispute resolver ${resolver} is an account without code (one key, not a multisig or council contract): whoever holds that key decides every dispute alone`,
    );
  }
}

/** `EvidenceRegistry.MAX_GAME_PERIOD`: the longest unbonding delay and resolution timeout, 365 days. */
const MAX_GAME_PERIOD = 365 * DAY;
const UINT96_MAX = 2n ** 96n - 1n;

/** The evidence game's parameters as `EvidenceRegistry` accepts them (it refuses others), and a warning. */
function checkEvidenceGame(config: DeployConfig, warn: (line: string) => void): void {
  const game = config.evidenceGame;
  const fail = (message: string): never => {
    throw new DeployConfigError(`evidenceGame.${message}`);
  };
  for (const field of ['challengePeriod', 'unbondingDelay', 'resolutionTimeout'] as const) {
    const value = game[field];
    if (!Number.isInteger(value) || value <= 0 || value > MAX_GAME_PERIOD) {
      fail(`${field} must be a positive whole number of seconds, at most 365 days, not ${value}`);
    }
  }
  for (const field of ['minBond', 'disputeBond'] as const) {
    const value = game[field];
    if (typeof value !== 'bigint' || value <= 0n || value > UINT96_MAX) {
      fail(`${field} must be a positive amount of wei below 2^96, not ${value}`);
    }
  }
  if (
    !Number.isInteger(game.disputerShareBps) ||
    game.disputerShareBps < 0 ||
    game.disputerShareBps > 10_000
  ) {
    fail(
      `disputerShareBps must be a whole number of basis points from 0 to 10000, not ${game.disputerShareBps}`,
    );
  }
  if (game.unbondingDelay <= game.challengePeriod) {
    fail(
      `unbondingDelay (${game.unbondingDelay} s) must be longer than challengePeriod (${game.challengePeriod} s): an evaluator could withdraw its bond before its last result can be disputed`,
    );
  }
  const lifetime = proposalLifetime(config);
  if (!config.resolver && game.resolutionTimeout < lifetime) {
    warn(
      `evidenceGame.resolutionTimeout (${game.resolutionTimeout} s) is shorter than a proposal's life (${lifetime} s) and there is no resolver: every dispute lapses (rejected) before governance can uphold it`,
    );
  }
}

/**
 * Deploys and wires the whole system: token, timelock, governor (with the configured guardian and its
 * term), and the three registries governed by the timelock; makes the governor the timelock's proposer and
 * canceller, lets anyone execute, and renounces the deployer's admin role. Returns what the deployments
 * file records. Checks the configuration first (`DeployConfigError`): see `allowWeakGuardian`.
 *
 * Resumable with `progressFile`: a step whose transaction was sent is never sent again; its receipt is
 * awaited (and the step re-sent only if the node no longer knows the transaction), and wiring steps check
 * the timelock's roles first. Receipts are polled at half the chain's block time.
 */
export async function deployCharter(options: DeployOptions): Promise<Deployment> {
  const config: DeployConfig = {
    ...defaultDeployConfig,
    ...options.config,
    evidenceGame: { ...defaultDeployConfig.evidenceGame, ...options.config?.evidenceGame },
  };
  const log = options.log ?? (() => {});
  const warn = options.warn ?? ((line: string) => console.warn(`WARNING: ${line}`));
  const account = privateKeyToAccount(options.privateKey);
  const transport = http(options.rpcUrl, { retryCount: 3 });
  const publicClient = createPublicClient({ transport }) as PublicClient;
  const chainId = await publicClient.getChainId();
  const chain = { id: chainId } as Chain;
  const wallet = createWalletClient<Transport, Chain, Account>({ account, chain, transport });
  await checkConfig(config, { chainId, deployer: account.address, client: publicClient, warn });
  const pollingInterval = pollingIntervalFor(await measureBlockTime(publicClient));
  const progress = openProgress(options.progressFile, {
    chainId,
    deployer: account.address,
    config: configKey(config),
    steps: {},
  });

  /** Sends a step once, records it, and waits for it; a recorded step is only awaited. */
  const step = async (what: string, send: () => Promise<Hex>) => {
    let recorded = progress.steps[what];
    if (recorded?.address || recorded?.block !== undefined) {
      log(`${what}: ${recorded.address ?? recorded.tx} (done earlier)`);
      return recorded;
    }
    if (recorded && !(await knownTransaction(publicClient, recorded.tx))) recorded = undefined;
    if (!recorded) {
      recorded = { tx: await send() };
      progress.save(what, recorded);
    } else {
      log(`${what}: waiting for ${recorded.tx}, sent earlier`);
    }
    const receipt = await confirmWrite(publicClient, recorded.tx, { what, pollingInterval });
    recorded = {
      tx: recorded.tx,
      block: Number(receipt.blockNumber),
      ...(receipt.contractAddress ? { address: getAddress(receipt.contractAddress) } : {}),
    };
    progress.save(what, recorded);
    log(`${what}: ${recorded.address ?? recorded.tx}`);
    return recorded;
  };
  const deploy = async (what: string, send: () => Promise<Hex>): Promise<Address> => {
    const { address } = await step(what, send);
    if (!address) throw new Error(`deployment step created no contract: ${what}`);
    if (!(await publicClient.getCode({ address }))) {
      throw new DeployResumeError(
        `${what} at ${address} has no code: the chain lost it (a reset?)`,
      );
    }
    return address;
  };
  const create = (abi: Abi, bytecode: Hex, args: readonly unknown[]) => async () => {
    const data = encodeDeployData({ abi, bytecode, args });
    const gas = await gasLimitFor(publicClient, { account, data });
    return wallet.sendTransaction({ data, gas });
  };

  const token = await deploy(
    'CharterToken',
    create(charterTokenAbi, charterTokenBytecode, [
      config.tokenName,
      config.tokenSymbol,
      account.address,
      config.supply,
    ]),
  );
  const timelock = await deploy(
    'TimelockController',
    create(timelockControllerAbi, timelockControllerBytecode, [
      BigInt(config.timelockDelay),
      [],
      [zeroAddress],
      account.address,
    ]),
  );
  const governor = await deploy(
    'CharterGovernor',
    create(charterGovernorAbi, charterGovernorBytecode, [
      token,
      timelock,
      {
        votingDelay: config.votingDelay,
        votingPeriod: config.votingPeriod,
        proposalThreshold: config.proposalThreshold,
        quorumNumerator: BigInt(config.quorumPercent),
        lateQuorumVoteExtension: config.lateQuorumVoteExtension,
        proposalGuardian: config.proposalGuardian ?? zeroAddress,
        // The term runs even without a guardian, so that governance can name one later in one proposal.
        guardianTermEnd: Number((await publicClient.getBlock()).timestamp) + config.guardianTerm,
      },
    ]),
  );
  const evidenceRegistry = await deploy(
    'EvidenceRegistry',
    create(evidenceRegistryAbi, evidenceRegistryBytecode, [
      timelock,
      config.evidenceGame,
      config.resolver ?? zeroAddress,
    ]),
  );
  const policyRegistry = await deploy(
    'PolicyRegistry',
    create(policyRegistryAbi, policyRegistryBytecode, [timelock, evidenceRegistry]),
  );
  const modelRegistry = await deploy(
    'ModelRegistry',
    create(modelRegistryAbi, modelRegistryBytecode, [
      timelock,
      policyRegistry,
      governor,
      config.approvalWindow,
      config.maxSuspension,
    ]),
  );

  const readRole = (functionName: 'PROPOSER_ROLE' | 'CANCELLER_ROLE' | 'DEFAULT_ADMIN_ROLE') =>
    publicClient.readContract({ address: timelock, abi: timelockControllerAbi, functionName });
  const [proposerRole, cancellerRole, adminRole] = await Promise.all([
    readRole('PROPOSER_ROLE'),
    readRole('CANCELLER_ROLE'),
    readRole('DEFAULT_ADMIN_ROLE'),
  ]);
  const hasRole = (role: Hex, who: Address) =>
    publicClient.readContract({
      address: timelock,
      abi: timelockControllerAbi,
      functionName: 'hasRole',
      args: [role, who],
    });
  /** A role change, sent only if the timelock does not already show it (a rerun, or a lost record). */
  const wire = async (
    what: string,
    functionName: 'grantRole' | 'renounceRole',
    role: Hex,
    who: Address,
  ) => {
    if ((await hasRole(role, who)) === (functionName === 'grantRole') && !progress.steps[what]) {
      log(`${what}: already so`);
      return;
    }
    await step(what, async () => {
      const data = encodeFunctionData({
        abi: timelockControllerAbi,
        functionName,
        args: [role, who],
      });
      const gas = await gasLimitFor(publicClient, { account, to: timelock, data });
      return wallet.sendTransaction({ to: timelock, data, gas });
    });
  };
  await wire('governor may propose', 'grantRole', proposerRole, governor);
  await wire('governor may cancel', 'grantRole', cancellerRole, governor);
  await wire('admin renounced', 'renounceRole', adminRole, account.address);
  const termEnd = await publicClient.readContract({
    address: governor,
    abi: charterGovernorAbi,
    functionName: 'guardianTermEnd',
  });
  log(
    config.proposalGuardian
      ? `proposal guardian: ${config.proposalGuardian} until ${new Date(Number(termEnd) * 1000).toISOString()}`
      : 'proposal guardian: none',
  );

  const recorded = Object.values(progress.steps);
  const deployment: Deployment = {
    chainId,
    deploymentBlock: Math.min(...recorded.map((s) => s.block ?? Infinity)),
    deployer: account.address,
    contracts: { token, timelock, governor, evidenceRegistry, policyRegistry, modelRegistry },
    transactions: recorded.map((s) => s.tx),
  };
  progress.finish();
  return deployment;
}

/** Whether the node still knows a transaction (mined or pending). */
async function knownTransaction(client: PublicClient, hash: Hex): Promise<boolean> {
  try {
    await client.getTransaction({ hash });
    return true;
  } catch {
    return false;
  }
}

/** The progress record: read from `file` when resuming, written atomically after every step. */
function openProgress(file: string | undefined, fresh: DeployProgress) {
  let progress = fresh;
  if (file && existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DeployProgress;
    for (const key of ['chainId', 'deployer', 'config'] as const) {
      if (saved[key] !== fresh[key]) {
        throw new DeployResumeError(
          `${file} records a deployment with another ${key}; delete it to start over, or deploy with the same ${key}`,
        );
      }
    }
    progress = saved;
  }
  const write = () => {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(progress, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  };
  return {
    steps: progress.steps,
    save(what: string, recorded: DeployProgress['steps'][string]) {
      progress.steps[what] = recorded;
      write();
    },
    finish() {
      if (file) rmSync(file, { force: true });
    },
  };
}

const numberFields = [
  'votingDelay',
  'votingPeriod',
  'quorumPercent',
  'lateQuorumVoteExtension',
  'timelockDelay',
  'approvalWindow',
  'maxSuspension',
  'guardianTerm',
] as const;
const amountFields = ['supply', 'proposalThreshold'] as const;
const configFields = [
  'tokenName',
  'tokenSymbol',
  ...amountFields,
  ...numberFields,
  'proposalGuardian',
  'allowWeakGuardian',
  'evidenceGame',
  'resolver',
] as const;
const gameSecondsFields = ['challengePeriod', 'unbondingDelay', 'resolutionTimeout'] as const;
const gameWeiFields = ['minBond', 'disputeBond'] as const;
const gameFields = [...gameSecondsFields, ...gameWeiFields, 'disputerShareBps'] as const;

/** `evidenceGame` as a config file holds it: seconds as whole numbers, bonds as decimal strings of wei. */
function parseEvidenceGame(
  raw: unknown,
  fail: (message: string) => never,
): Partial<GameParameters> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(`evidenceGame must be an object with the fields ${gameFields.join(', ')}`);
  }
  const game: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(gameFields as readonly string[]).includes(key)) {
      fail(`unknown field evidenceGame.${key}; its fields are ${gameFields.join(', ')}`);
    } else if ((gameWeiFields as readonly string[]).includes(key)) {
      if (typeof value !== 'string' || !/^\d+$/.test(value)) {
        fail(
          `evidenceGame.${key} must be a decimal string of wei (1 ETH = "1000000000000000000"), not ${JSON.stringify(value)}`,
        );
      }
      game[key] = BigInt(value as string);
    } else {
      if (!Number.isInteger(value) || (value as number) < 0) {
        fail(
          `evidenceGame.${key} must be a whole number (${key === 'disputerShareBps' ? 'of basis points' : 'of seconds'}), not ${JSON.stringify(value)}`,
        );
      }
      game[key] = value;
    }
  }
  return game as Partial<GameParameters>;
}

/**
 * A deploy configuration as a JSON file holds it (`source` names the file in errors): amounts as decimal
 * strings of token units or wei (JSON has no bigint), times as whole seconds, the guardian and the resolver
 * as addresses, the evidence game as an object of its own (missing fields keep their defaults). An
 * unknown field is refused rather than ignored: a misspelt `proposalGuardian` must not deploy without one.
 */
export function parseDeployConfig(raw: unknown, source: string): DeployConfigOverrides {
  const fail = (message: string): never => {
    throw new DeployConfigError(`${source}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('a deploy configuration is a JSON object');
  }
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(configFields as readonly string[]).includes(key)) {
      fail(`unknown field ${key}; the fields are ${configFields.join(', ')}`);
    } else if ((amountFields as readonly string[]).includes(key)) {
      if (typeof value !== 'string' || !/^\d+$/.test(value)) {
        fail(
          `${key} must be a decimal string of token units (18 decimals), not ${JSON.stringify(value)}`,
        );
      }
      config[key] = BigInt(value as string);
    } else if ((numberFields as readonly string[]).includes(key)) {
      if (!Number.isInteger(value) || (value as number) < 0) {
        fail(
          `${key} must be a whole number of seconds (a percentage for quorumPercent), not ${JSON.stringify(value)}`,
        );
      }
      config[key] = value;
    } else if (key === 'proposalGuardian' || key === 'resolver') {
      if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
        fail(
          `${key} must be an address (the security council's contract), not ${JSON.stringify(value)}`,
        );
      }
      config[key] = getAddress(value as string);
    } else if (key === 'evidenceGame') {
      config[key] = parseEvidenceGame(value, fail);
    } else if (key === 'allowWeakGuardian') {
      if (typeof value !== 'boolean')
        fail(`allowWeakGuardian must be true or false, not ${JSON.stringify(value)}`);
      config[key] = value;
    } else {
      if (typeof value !== 'string' || !value) fail(`${key} must be a non-empty string`);
      config[key] = value;
    }
  }
  return config as DeployConfigOverrides;
}
