import { modelRegistryAbi } from '@charter/contracts/abis';
import type { Hex } from 'viem';

import { modelDigest } from '../models/modelDigest.js';
import type { CharterConnection } from './connect.js';

export const MODEL_STATUSES = [
  'unknown',
  'candidate',
  'approved',
  'deprecated',
  'revoked',
] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export interface ModelCheck {
  digest: Hex;
  status: ModelStatus;
  approved: boolean;
  family?: string;
  version?: string;
  /** One line for a person: "mail-guard v2 (0xb6a0…) is approved". */
  summary: string;
}

/**
 * For model consumers: is this exact artifact an approved version? Hashes the directory as the
 * registry does and asks the on-chain registry; an application calls this before loading a model.
 */
export async function checkModel(
  connection: CharterConnection,
  modelDir: string,
): Promise<ModelCheck> {
  const digest = await modelDigest(modelDir);
  return checkDigest(connection, digest);
}

export async function checkDigest(connection: CharterConnection, digest: Hex): Promise<ModelCheck> {
  const { modelRegistry } = connection.deployment.contracts;
  const status =
    MODEL_STATUSES[
      await connection.public.readContract({
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'statusOf',
        args: [digest],
      })
    ] ?? 'unknown';
  let family: string | undefined;
  let version: string | undefined;
  if (status !== 'unknown') {
    const [registered] = await connection.public.getContractEvents({
      address: modelRegistry,
      abi: modelRegistryAbi,
      eventName: 'ModelRegistered',
      args: { modelId: digest },
      fromBlock: BigInt(connection.deployment.deploymentBlock),
    });
    family = registered?.args.family;
    version = registered?.args.version;
  }
  const name = family ? `${family} ${version} (${digest.slice(0, 10)}…)` : digest;
  const summary =
    status === 'unknown'
      ? `${name} is not a registered model version: do not load it`
      : status === 'approved'
        ? `${name} is approved`
        : `${name} is ${status}, not approved: do not load it`;
  return { digest, status, approved: status === 'approved', family, version, summary };
}
