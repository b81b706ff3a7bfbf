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
import { charterGovernorAbi, charterTokenAbi } from './generated/abis';

/** Ample for a transfer or delegation that writes vote checkpoints (they cost under 150,000). */
const CHECKPOINT_WRITE_GAS = 300_000n;

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
 * Clients for a development chain (anvil): reading, writing as several accounts, and moving time.
 * The governor runs on timestamps, so a whole proposal lifecycle takes seconds instead of days.
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
    this.public = createPublicClient({ transport: this.transport, chain: this.chain });
    this.test = createTestClient({ mode: 'anvil', transport: this.transport, chain: this.chain });
  }

  wallet(privateKey: Hex): WalletClient<Transport, Chain, Account> {
    return createWalletClient({
      account: privateKeyToAccount(privateKey),
      chain: this.chain,
      transport: this.transport,
    });
  }

  /** Sends a transaction and waits for it; throws if it reverted. */
  async confirm(hash: Promise<Hex> | Hex): Promise<Hex> {
    const receipt = await this.public.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== 'success')
      throw new Error(`transaction reverted: ${receipt.transactionHash}`);
    return receipt.transactionHash;
  }

  /** Moves the chain's clock forward and mines a block at the new time. */
  async advanceTime(seconds: number | bigint): Promise<void> {
    await this.test.increaseTime({ seconds: Number(seconds) });
    await this.test.mine({ blocks: 1 });
  }

  async now(): Promise<bigint> {
    return (await this.public.getBlock()).timestamp;
  }

  /**
   * Sends tokens from `from` and has the recipient delegate to itself (or to `delegatee`). Both calls get a
   * fixed gas limit: a vote checkpoint costs more when the block is mined in another second than the
   * estimate saw, so an estimate can fall short.
   */
  async fund(fromKey: Hex, toKey: Hex, amount: bigint, delegatee?: Address): Promise<void> {
    const { token } = this.deployment.contracts;
    const to = privateKeyToAccount(toKey).address;
    await this.confirm(
      this.wallet(fromKey).writeContract({
        address: token,
        abi: charterTokenAbi,
        functionName: 'transfer',
        args: [to, amount],
        gas: CHECKPOINT_WRITE_GAS,
      }),
    );
    await this.confirm(
      this.wallet(toKey).writeContract({
        address: token,
        abi: charterTokenAbi,
        functionName: 'delegate',
        args: [delegatee ?? to],
        gas: CHECKPOINT_WRITE_GAS,
      }),
    );
  }

  /** Creates a proposal; returns its id. */
  async propose(proposerKey: Hex, actions: ProposalAction[], description: string): Promise<bigint> {
    // The governor counts the proposer's votes one second in the past: a delegation mined in this very
    // second would not count yet.
    await this.advanceTime(1);
    const args = proposalArgs(actions, description);
    const { governor } = this.deployment.contracts;
    const { result, request } = await this.public.simulateContract({
      account: privateKeyToAccount(proposerKey),
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'propose',
      args: [args.targets, args.values, args.calldatas, description],
    });
    await this.confirm(this.wallet(proposerKey).writeContract(request));
    return result;
  }

  async vote(voterKey: Hex, proposalId: bigint, support: 0 | 1 | 2, reason = ''): Promise<Hex> {
    return this.confirm(
      this.wallet(voterKey).writeContract({
        address: this.deployment.contracts.governor,
        abi: charterGovernorAbi,
        functionName: 'castVoteWithReason',
        args: [proposalId, support, reason],
      }),
    );
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
    await this.confirm(
      this.wallet(senderKey).writeContract({
        address: governor,
        abi: charterGovernorAbi,
        functionName: 'queue',
        args: [args.targets, args.values, args.calldatas, args.descriptionHash],
      }),
    );
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
    return this.confirm(
      this.wallet(senderKey).writeContract({
        address: this.deployment.contracts.governor,
        abi: charterGovernorAbi,
        functionName: 'execute',
        args: [args.targets, args.values, args.calldatas, args.descriptionHash],
      }),
    );
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
