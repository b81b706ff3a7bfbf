import type { Hex } from 'viem';

import { BlockNotFoundError } from '../errors';
import type { Rpc } from './rpc';

export interface BlockHeader {
  number: number;
  hash: Hex;
  parentHash: Hex;
  timestamp: number;
}

interface RawBlock {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  timestamp: Hex;
}

const toHeader = (block: RawBlock | null, which: string): BlockHeader => {
  if (!block) throw new BlockNotFoundError('block not found', { block: which });
  return {
    number: Number(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: Number(block.timestamp),
  };
};

const tag = (block: number | 'latest') => (block === 'latest' ? block : `0x${block.toString(16)}`);

export async function getHeadNumber(rpc: Rpc): Promise<number> {
  return Number(await rpc.request<Hex>('eth_blockNumber', []));
}

export async function getHeader(rpc: Rpc, block: number | 'latest'): Promise<BlockHeader> {
  return toHeader(
    await rpc.request<RawBlock | null>('eth_getBlockByNumber', [tag(block), false]),
    String(block),
  );
}

/** Headers of the given blocks, in one batch per hundred. */
export async function getHeaders(rpc: Rpc, numbers: number[]): Promise<BlockHeader[]> {
  const blocks = await rpc.batch<RawBlock | null>(
    numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [tag(n), false] })),
  );
  return blocks.map((block, i) => toHeader(block, String(numbers[i])));
}
