import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  parseEther,
  zeroAddress,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type Transport,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

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
  /** Progress lines, one per step. */
  log?: (line: string) => void;
}

/**
 * Deploys and wires the whole system: token, timelock, governor, and the three registries governed by the
 * timelock; makes the governor the timelock's proposer and canceller, lets anyone execute, and renounces
 * the deployer's admin role. Returns what the deployments file records.
 */
export async function deployCharter(options: DeployOptions): Promise<Deployment> {
  const config = { ...defaultDeployConfig, ...options.config };
  const log = options.log ?? (() => {});
  const account = privateKeyToAccount(options.privateKey);
  const transport = http(options.rpcUrl, { retryCount: 3 });
  const publicClient = createPublicClient({ transport });
  const chainId = await publicClient.getChainId();
  const chain = { id: chainId } as Chain;
  const wallet = createWalletClient<Transport, Chain, Account>({ account, chain, transport });
  const transactions: Hex[] = [];
  let deploymentBlock: number | undefined;

  const confirm = async (hash: Hex, what: string) => {
    transactions.push(hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`deployment step failed: ${what} (${hash})`);
    deploymentBlock ??= Number(receipt.blockNumber);
    log(`${what}: ${receipt.contractAddress ?? hash}`);
    return receipt;
  };
  const deploy = async (what: string, hash: Promise<Hex>): Promise<Address> => {
    const receipt = await confirm(await hash, what);
    if (!receipt.contractAddress) throw new Error(`deployment step created no contract: ${what}`);
    return getAddress(receipt.contractAddress);
  };

  const token = await deploy(
    'CharterToken',
    wallet.deployContract({
      abi: charterTokenAbi,
      bytecode: charterTokenBytecode,
      args: [config.tokenName, config.tokenSymbol, account.address, config.supply],
    }),
  );
  const timelock = await deploy(
    'TimelockController',
    wallet.deployContract({
      abi: timelockControllerAbi,
      bytecode: timelockControllerBytecode,
      args: [BigInt(config.timelockDelay), [], [zeroAddress], account.address],
    }),
  );
  const governor = await deploy(
    'CharterGovernor',
    wallet.deployContract({
      abi: charterGovernorAbi,
      bytecode: charterGovernorBytecode,
      args: [
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
      ],
    }),
  );
  const evidenceRegistry = await deploy(
    'EvidenceRegistry',
    wallet.deployContract({
      abi: evidenceRegistryAbi,
      bytecode: evidenceRegistryBytecode,
      args: [timelock],
    }),
  );
  const policyRegistry = await deploy(
    'PolicyRegistry',
    wallet.deployContract({
      abi: policyRegistryAbi,
      bytecode: policyRegistryBytecode,
      args: [timelock, evidenceRegistry],
    }),
  );
  const modelRegistry = await deploy(
    'ModelRegistry',
    wallet.deployContract({
      abi: modelRegistryAbi,
      bytecode: modelRegistryBytecode,
      args: [timelock, policyRegistry],
    }),
  );

  const roles = await Promise.all(
    (['PROPOSER_ROLE', 'CANCELLER_ROLE', 'DEFAULT_ADMIN_ROLE'] as const).map((functionName) =>
      publicClient.readContract({ address: timelock, abi: timelockControllerAbi, functionName }),
    ),
  );
  const [proposerRole, cancellerRole, adminRole] = roles as [Hex, Hex, Hex];
  const timelockCall = (functionName: 'grantRole' | 'renounceRole', role: Hex, who: Address) =>
    wallet.writeContract({
      address: timelock,
      abi: timelockControllerAbi,
      functionName,
      args: [role, who],
    });
  await confirm(await timelockCall('grantRole', proposerRole, governor), 'governor may propose');
  await confirm(await timelockCall('grantRole', cancellerRole, governor), 'governor may cancel');
  await confirm(await timelockCall('renounceRole', adminRole, account.address), 'admin renounced');

  return {
    chainId,
    deploymentBlock: deploymentBlock ?? 0,
    deployer: account.address,
    contracts: { token, timelock, governor, evidenceRegistry, policyRegistry, modelRegistry },
    transactions,
  };
}
