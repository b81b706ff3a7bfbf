import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
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
  /** May cancel any proposal (the security council); the deployer when unset. */
  proposalGuardian?: Address;
}

export const defaultDeployConfig: DeployConfig = {
  tokenName: 'Charter',
  tokenSymbol: 'CHR',
  supply: parseEther('1000000'),
  votingDelay: 60 * 60 * 24,
  votingPeriod: 60 * 60 * 24 * 5,
  proposalThreshold: parseEther('1000'),
  quorumPercent: 4,
  lateQuorumVoteExtension: 60 * 60 * 24,
  timelockDelay: 60 * 60 * 24 * 2,
};

export interface DeployOptions {
  rpcUrl: string;
  privateKey: Hex;
  config?: Partial<DeployConfig>;
  /**
   * Where each step is recorded as it lands (transaction, then address), so that a rerun after a failure
   * or a kill continues from the first missing step instead of deploying everything again. Removed once
   * the deployment is complete. Without it, a deployment cannot resume.
   */
  progressFile?: string;
  /** Progress lines, one per step. */
  log?: (line: string) => void;
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

const configKey = (config: DeployConfig) =>
  JSON.stringify(config, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Deploys and wires the whole system: token, timelock, governor, and the three registries governed by the
 * timelock; makes the governor the timelock's proposer and canceller, lets anyone execute, and renounces
 * the deployer's admin role. Returns what the deployments file records.
 *
 * Resumable with `progressFile`: a step whose transaction was sent is never sent again; its receipt is
 * awaited (and the step re-sent only if the node no longer knows the transaction), and wiring steps check
 * the timelock's roles first. Receipts are polled at half the chain's block time.
 */
export async function deployCharter(options: DeployOptions): Promise<Deployment> {
  const config = { ...defaultDeployConfig, ...options.config };
  const log = options.log ?? (() => {});
  const account = privateKeyToAccount(options.privateKey);
  const transport = http(options.rpcUrl, { retryCount: 3 });
  const publicClient = createPublicClient({ transport }) as PublicClient;
  const chainId = await publicClient.getChainId();
  const chain = { id: chainId } as Chain;
  const wallet = createWalletClient<Transport, Chain, Account>({ account, chain, transport });
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
        proposalGuardian: config.proposalGuardian ?? account.address,
      },
    ]),
  );
  const evidenceRegistry = await deploy(
    'EvidenceRegistry',
    create(evidenceRegistryAbi, evidenceRegistryBytecode, [timelock]),
  );
  const policyRegistry = await deploy(
    'PolicyRegistry',
    create(policyRegistryAbi, policyRegistryBytecode, [timelock, evidenceRegistry]),
  );
  const modelRegistry = await deploy(
    'ModelRegistry',
    create(modelRegistryAbi, modelRegistryBytecode, [timelock, policyRegistry]),
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
