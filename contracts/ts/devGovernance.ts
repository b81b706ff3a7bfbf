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
import { charterGovernorAbi, charterTokenAbi } from './generated/abis';

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

  /** Calls a contract as the key's account, with the shared gas rule (pending estimate plus headroom). */
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
    },
  ): Promise<Hex> {
    const account = privateKeyToAccount(key);
    const data = encodeFunctionData(call as never);
    const gas = await gasLimitFor(this.public, { account, to: call.address, data });
    const hash = await this.wallet(key).sendTransaction({ to: call.address, data, gas });
    return this.confirm(hash, call.functionName);
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
