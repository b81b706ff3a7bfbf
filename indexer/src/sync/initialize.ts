import { charterGovernorAbi, charterTokenAbi } from '@charter/contracts';
import { sql } from 'drizzle-orm';
import { decodeFunctionResult, encodeFunctionData, type Abi, type Hex } from 'viem';

import type { ResolvedConfig } from '../config/resolveConfig';
import type { OpenDatabase } from '../database/openDatabase';
import { blocks, governance, syncState } from '../database/schema';
import { tablesByName } from '../database/tables';
import { ChainMismatchError } from '../errors';
import type { Logger } from '../log';
import { getHeader, type BlockHeader } from './chain';
import type { Rpc } from './rpc';

export type Checkpoint = BlockHeader;

/**
 * Makes sure the database describes the configured chain and deployment, and returns where to resume.
 * A fresh database starts just before the deployment block, with the constants no event carries (names,
 * the quorum denominator) read once from the contracts.
 */
export async function initialize(
  config: ResolvedConfig,
  database: OpenDatabase,
  rpc: Rpc,
  logger: Logger,
): Promise<Checkpoint> {
  const { deployment } = config;
  const chainId = Number(await rpc.request<Hex>('eth_chainId', []));
  if (chainId !== deployment.chainId) {
    throw new ChainMismatchError('the RPC serves another chain than the deployment', {
      rpcChainId: chainId,
      deploymentChainId: deployment.chainId,
    });
  }
  const deploymentHeader = await getHeader(rpc, deployment.deploymentBlock);
  const { db } = database;
  const [state] = await db.select().from(syncState);
  if (state && state.deploymentHash === deploymentHeader.hash && state.chainId === chainId) {
    logger.info('sync_resumed', { indexedBlock: state.indexedBlock });
    return {
      number: state.indexedBlock,
      hash: state.indexedHash,
      parentHash: state.indexedHash,
      timestamp: state.indexedTimestamp,
    };
  }
  if (state) {
    // The deployment block itself changed: a development chain that was restarted from scratch.
    logger.warn('chain_replaced', {
      previousDeploymentHash: state.deploymentHash,
      deploymentHash: deploymentHeader.hash,
    });
    const names = [...tablesByName.keys()].map((name) => sql.identifier(name));
    await db.execute(sql`truncate ${sql.join(names, sql`, `)}`);
  }

  const call = async <T>(address: Hex, abi: Abi, functionName: string): Promise<T> => {
    const data = encodeFunctionData({ abi, functionName });
    const result = await rpc.request<Hex>('eth_call', [{ to: address, data }, 'latest']);
    return decodeFunctionResult({ abi, functionName, data: result }) as T;
  };
  const { governor, token } = deployment.contracts;
  const [name, quorumDenominator, tokenName, tokenSymbol] = await Promise.all([
    call<string>(governor, charterGovernorAbi, 'name'),
    call<bigint>(governor, charterGovernorAbi, 'quorumDenominator'),
    call<string>(token, charterTokenAbi, 'name'),
    call<string>(token, charterTokenAbi, 'symbol'),
  ]);
  const start: Checkpoint =
    deployment.deploymentBlock > 0
      ? await getHeader(rpc, deployment.deploymentBlock - 1)
      : {
          number: -1,
          hash: `0x${'0'.repeat(64)}`,
          parentHash: `0x${'0'.repeat(64)}`,
          timestamp: 0,
        };

  await db.transaction(async (tx) => {
    await tx.insert(governance).values({ id: 1, name, tokenName, tokenSymbol, quorumDenominator });
    await tx.insert(blocks).values(start);
    await tx.insert(syncState).values({
      id: 1,
      chainId,
      deploymentHash: deploymentHeader.hash,
      indexedBlock: start.number,
      indexedHash: start.hash,
      indexedTimestamp: start.timestamp,
    });
  });
  logger.info('sync_started', { chainId, fromBlock: deployment.deploymentBlock });
  return start;
}
