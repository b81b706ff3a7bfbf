import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  http,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import type { Deployment } from './deployments';
import { proposalArgs, proposalId, type ProposalAction } from './protocol';
import { confirmWrite, gasLimitFor } from './writes';
import {
  charterGovernorAbi,
  charterTokenAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
} from './generated/abis';
import type { GameParameters } from './protocol/evidenceGame';

/** Encodes a contract call as a proposal action, with viem's types on the function and its arguments. */
export function action<
  const abi extends Abi,
  name extends ContractFunctionName<abi, 'nonpayable' | 'payable'>,
>(
  target: Address,
  abi: abi,
  functionName: name,
  args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', name>,
): ProposalAction {
  return {
    target,
    calldata: encodeFunctionData({ abi, functionName, args } as never),
  };
}

/** `EvidenceRegistry.resolveDispute(disputeId, upheld)` as a proposal action (governance may always resolve). */
export const resolveDisputeAction = (
  deployment: Deployment,
  disputeId: bigint,
  upheld: boolean,
): ProposalAction =>
  action(deployment.contracts.evidenceRegistry, evidenceRegistryAbi, 'resolveDispute', [
    disputeId,
    upheld,
  ]);

/** `EvidenceRegistry.setGameParameters(parameters)` as a proposal action. */
export const setGameParametersAction = (
  deployment: Deployment,
  parameters: GameParameters,
): ProposalAction =>
  action(deployment.contracts.evidenceRegistry, evidenceRegistryAbi, 'setGameParameters', [
    parameters,
  ]);

/** `EvidenceRegistry.setResolver(resolver)` as a proposal action (the zero address: none). */
export const setResolverAction = (deployment: Deployment, resolver: Address): ProposalAction =>
  action(deployment.contracts.evidenceRegistry, evidenceRegistryAbi, 'setResolver', [resolver]);

/** How long after it is proposed an approval built by `approvalAction` expires, unless told: 30 days. */
export const DEFAULT_APPROVAL_EXPIRY = 60 * 60 * 24 * 30;

const ZERO_ID = `0x${'0'.repeat(64)}` as const;

/** What an approval is pinned to (`ModelRegistry.approve`'s arguments), as the chain stands now. */
export interface ApprovalTerms {
  modelId: Hex;
  /** keccak256 of the family name; `family` is the name as its maintainer registered it. */
  familyId: Hex;
  family: string;
  version: string;
  /** The policy that governs the family, and its active version: execution refuses if either changes. */
  policyId: Hex;
  policyVersion: bigint;
  /** The family's current version now (zero: none): execution refuses if another has become current. */
  expectedCurrent: Hex;
  /** Its version label ("v1"), when there is one. */
  expectedCurrentLabel?: string;
  /** Unix seconds; the approval executes only within the registry's approval window before this. */
  expiresAt: number;
}

/**
 * Reads what an approval of `modelId` must name: the family's policy and that policy's active version,
 * the family's current version, and an expiry `expiresIn` seconds from the chain's time (default
 * `DEFAULT_APPROVAL_EXPIRY`, or the registry's approval window if that is shorter). Refuses, saying
 * why, an unregistered version, a family without a policy, and an expiry beyond the approval window (the
 * approval could not execute until the window opens).
 */
export async function approvalTerms(
  chain: DevChain,
  modelId: Hex,
  options: { expiresIn?: number } = {},
): Promise<ApprovalTerms> {
  const { modelRegistry, policyRegistry } = chain.deployment.contracts;
  const read = chain.public.readContract;
  const registered = await registration(chain, modelId);
  if (!registered) throw new Error(`cannot approve ${modelId}: no model version has this digest`);
  const { familyId, family, version } = registered;
  const [governed, approvalWindow, now] = await Promise.all([
    read({
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'family',
      args: [familyId],
    }),
    read({ address: modelRegistry, abi: modelRegistryAbi, functionName: 'approvalWindow' }),
    chain.now(),
  ]);
  if (governed.policyId === ZERO_ID) {
    throw new Error(
      `cannot approve ${family} ${version}: no policy governs the family ${family}; governance sets one first (ModelRegistry.setFamilyPolicy)`,
    );
  }
  const policyVersion = await read({
    address: policyRegistry,
    abi: policyRegistryAbi,
    functionName: 'currentVersion',
    args: [governed.policyId],
  });
  const window = Number(approvalWindow);
  const expiresIn = options.expiresIn ?? Math.min(DEFAULT_APPROVAL_EXPIRY, window);
  if (!Number.isInteger(expiresIn) || expiresIn <= 0 || expiresIn > window) {
    throw new RangeError(
      `expiresIn must be a whole number of seconds between 1 and the registry's approval window (${window} s), not ${expiresIn}: an approval executes only within the window before its expiry`,
    );
  }
  const current =
    governed.currentVersion === ZERO_ID
      ? undefined
      : await registration(chain, governed.currentVersion);
  return {
    modelId,
    familyId,
    family,
    version,
    policyId: governed.policyId,
    policyVersion,
    expectedCurrent: governed.currentVersion,
    ...(current ? { expectedCurrentLabel: current.version } : {}),
    expiresAt: Number(now) + expiresIn,
  };
}

/** A version's family and label, as its `ModelRegistered` event names them; undefined if never registered. */
async function registration(chain: DevChain, modelId: Hex) {
  const [registered] = await chain.public.getContractEvents({
    address: chain.deployment.contracts.modelRegistry,
    abi: modelRegistryAbi,
    eventName: 'ModelRegistered',
    args: { modelId },
    fromBlock: BigInt(chain.deployment.deploymentBlock),
  });
  return registered?.args as { familyId: Hex; family: string; version: string } | undefined;
}

/** `ModelRegistry.approve(modelId, …)` as a proposal action, pinned to the chain's state now (`approvalTerms`). */
export async function approvalAction(
  chain: DevChain,
  modelId: Hex,
  options: { expiresIn?: number } = {},
): Promise<ProposalAction> {
  return approveCall(chain.deployment, await approvalTerms(chain, modelId, options));
}

/** The proposal action that approves on `terms`. */
export function approveCall(deployment: Deployment, terms: ApprovalTerms): ProposalAction {
  return action(deployment.contracts.modelRegistry, modelRegistryAbi, 'approve', [
    terms.modelId,
    terms.policyId,
    terms.policyVersion,
    terms.expectedCurrent,
    terms.expiresAt,
  ]);
}

/**
 * Clients for a development chain: reading, writing as several accounts, and moving time. The governor
 * runs on timestamps, so a whole proposal lifecycle takes seconds instead of days. Time moves with
 * `evm_increaseTime` and `evm_mine`, which anvil and Hardhat's node both answer; `test` (anvil's
 * snapshots and the like) is for tests that run on anvil only.
 */
export class DevChain {
  readonly public: PublicClient;
  readonly test: TestClient<'anvil'>;
  private readonly transport: Transport;
  private readonly chain: Chain;

  constructor(
    readonly rpcUrl: string,
    readonly deployment: Deployment,
  ) {
    this.transport = http(rpcUrl);
    this.chain = { id: deployment.chainId } as Chain;
    // A dev chain is local: poll for receipts often rather than at viem's 4-second default.
    this.public = createPublicClient({
      transport: this.transport,
      chain: this.chain,
      pollingInterval: 250,
    });
    this.test = createTestClient({ mode: 'anvil', transport: this.transport, chain: this.chain });
  }

  wallet(privateKey: Hex): WalletClient<Transport, Chain, Account> {
    return createWalletClient({
      account: privateKeyToAccount(privateKey),
      chain: this.chain,
      transport: this.transport,
    });
  }

  /** Waits for a transaction; throws, explaining why, if it failed. */
  async confirm(hash: Promise<Hex> | Hex, what = 'transaction'): Promise<Hex> {
    const receipt = await confirmWrite(this.public, await hash, { what });
    return receipt.transactionHash;
  }

  /**
   * Calls a contract as the key's account, with the shared gas rule (pending estimate plus headroom);
   * `value` (wei) for a payable function: a bond, a dispute.
   */
  async send<
    const abi extends Abi,
    name extends ContractFunctionName<abi, 'nonpayable' | 'payable'>,
  >(
    key: Hex,
    call: {
      address: Address;
      abi: abi;
      functionName: name;
      args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', name>;
      value?: bigint;
    },
  ): Promise<Hex> {
    const account = privateKeyToAccount(key);
    const { value, ...encoded } = call;
    const data = encodeFunctionData(encoded as never);
    const gas = await gasLimitFor(this.public, { account, to: call.address, data, value });
    const hash = await this.wallet(key).sendTransaction({ to: call.address, data, gas, value });
    return this.confirm(hash, call.functionName);
  }

  /** The evidence registry's game parameters now. */
  async gameParameters(): Promise<GameParameters> {
    const game = await this.public.readContract({
      address: this.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'gameParameters',
    });
    return {
      challengePeriod: Number(game.challengePeriod),
      minBond: game.minBond,
      disputeBond: game.disputeBond,
      unbondingDelay: Number(game.unbondingDelay),
      resolutionTimeout: Number(game.resolutionTimeout),
      disputerShareBps: Number(game.disputerShareBps),
    };
  }

  /** Bonds `amount` wei (default: the registry's minimum bond) as the admitted evaluator holding the key. */
  async bond(evaluatorKey: Hex, amount?: bigint): Promise<Hex> {
    return this.send(evaluatorKey, {
      address: this.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'bond',
      args: [],
      value: amount ?? (await this.gameParameters()).minBond,
    });
  }

  /** Moves time past the challenge period, so that every result posted until now is out of its window. */
  async passChallengeWindow(): Promise<void> {
    await this.advanceTime((await this.gameParameters()).challengePeriod + 1);
  }

  /** Moves the chain's clock forward and mines a block at the new time. */
  async advanceTime(seconds: number | bigint): Promise<void> {
    const rpc = this.public.request as (request: {
      method: string;
      params: unknown[];
    }) => Promise<unknown>;
    await rpc({ method: 'evm_increaseTime', params: [Number(seconds)] });
    await rpc({ method: 'evm_mine', params: [] });
  }

  async now(): Promise<bigint> {
    return (await this.public.getBlock()).timestamp;
  }

  /** Sends tokens from `from` and has the recipient delegate to itself (or to `delegatee`). */
  async fund(fromKey: Hex, toKey: Hex, amount: bigint, delegatee?: Address): Promise<void> {
    const { token } = this.deployment.contracts;
    const to = privateKeyToAccount(toKey).address;
    await this.send(fromKey, {
      address: token,
      abi: charterTokenAbi,
      functionName: 'transfer',
      args: [to, amount],
    });
    await this.send(toKey, {
      address: token,
      abi: charterTokenAbi,
      functionName: 'delegate',
      args: [delegatee ?? to],
    });
  }

  /** Creates a proposal; returns its id. */
  async propose(proposerKey: Hex, actions: ProposalAction[], description: string): Promise<bigint> {
    // The governor counts the proposer's votes one second in the past: a delegation mined in this very
    // second would not count yet.
    await this.advanceTime(1);
    const args = proposalArgs(actions, description);
    const { governor } = this.deployment.contracts;
    const call = {
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'propose',
      args: [args.targets, args.values, args.calldatas, description],
    } as const;
    const { result } = await this.public.simulateContract({
      ...call,
      account: privateKeyToAccount(proposerKey),
    });
    await this.send(proposerKey, call);
    return result;
  }

  async vote(voterKey: Hex, proposalId: bigint, support: 0 | 1 | 2, reason = ''): Promise<Hex> {
    return this.send(voterKey, {
      address: this.deployment.contracts.governor,
      abi: charterGovernorAbi,
      functionName: 'castVoteWithReason',
      args: [proposalId, support, reason],
    });
  }

  /** Moves time past the voting delay, so the proposal is active. */
  async openVoting(proposalId: bigint): Promise<void> {
    await this.advancePast('proposalSnapshot', proposalId);
  }

  /** Moves time past the (possibly extended) voting deadline. */
  async closeVoting(proposalId: bigint): Promise<void> {
    await this.advancePast('proposalDeadline', proposalId);
  }

  /** Queues a succeeded proposal in the timelock and waits out the timelock's delay. */
  async queue(senderKey: Hex, actions: ProposalAction[], description: string): Promise<void> {
    const { governor } = this.deployment.contracts;
    const args = proposalArgs(actions, description);
    await this.send(senderKey, {
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'queue',
      args: [args.targets, args.values, args.calldatas, args.descriptionHash],
    });
    const eta = await this.public.readContract({
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'proposalEta',
      args: [proposalId(actions, description)],
    });
    const now = await this.now();
    if (eta >= now) await this.advanceTime(eta - now + 1n);
  }

  async execute(senderKey: Hex, actions: ProposalAction[], description: string): Promise<Hex> {
    const args = proposalArgs(actions, description);
    return this.send(senderKey, {
      address: this.deployment.contracts.governor,
      abi: charterGovernorAbi,
      functionName: 'execute',
      args: [args.targets, args.values, args.calldatas, args.descriptionHash],
    });
  }

  /**
   * Runs a proposal through its whole life: propose, vote for with every voter, close, queue, execute.
   * For setting up dev chains and tests; the voters must hold a quorum.
   */
  async govern(
    proposerKey: Hex,
    voterKeys: Hex[],
    actions: ProposalAction[],
    description: string,
  ): Promise<bigint> {
    const id = await this.propose(proposerKey, actions, description);
    await this.openVoting(id);
    for (const voter of voterKeys) await this.vote(voter, id, 1);
    await this.closeVoting(id);
    await this.queue(proposerKey, actions, description);
    await this.execute(proposerKey, actions, description);
    return id;
  }

  private async advancePast(
    functionName: 'proposalSnapshot' | 'proposalDeadline',
    proposalId: bigint,
  ): Promise<void> {
    const timepoint = await this.public.readContract({
      address: this.deployment.contracts.governor,
      abi: charterGovernorAbi,
      functionName,
      args: [proposalId],
    });
    const now = await this.now();
    if (timepoint >= now) await this.advanceTime(timepoint - now + 1n);
  }
}
