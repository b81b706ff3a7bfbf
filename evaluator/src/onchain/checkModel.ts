import { modelRegistryAbi, policyRegistryAbi } from '@charter/contracts/abis';
import {
  bytes32ToText,
  decodeCharterError,
  failingRuleIndex,
  ModelStatus,
  modelStatuses,
  shortHex,
  shortNameToBytes32,
  type ErrorContext,
} from '@charter/contracts/protocol';
import type { Hex } from 'viem';

import { modelDigest } from '../models/modelDigest.js';
import type { CharterConnection } from './connect.js';

/** Whether the evidence for a model meets a policy now, as `PolicyRegistry.checkPolicy` answers. */
export interface PolicyVerdict {
  policy: string;
  /** The policy's active version (0: never set). */
  version: number;
  met: boolean;
  /** The failing rule, 0-based as the contract counts; people read "Rule <index + 1>". */
  ruleIndex?: number;
  /** The contract's custom error naming the failure, and the catalogue's words for it. */
  error?: string;
  message?: string;
}

export interface ModelCheck {
  digest: Hex;
  status: ModelStatus;
  approved: boolean;
  family?: string;
  version?: string;
  /** With status `suspended`: when the suspension lapses (Unix seconds) unless governance acts first. */
  suspendedUntil?: number;
  /** With status `suspended`: the guardian's reason. */
  suspensionReason?: string;
  /** With `policy`: the evidence for this version against it. */
  policy?: PolicyVerdict;
  /** For a person: "mail-guard v2 (0xb6a0…1c2d) is approved", and the policy's verdict if asked. */
  summary: string;
}

export interface CheckOptions {
  /** Also ask whether the evidence meets this policy (its name), and which rule fails. */
  policy?: string;
  /** Names for the catalogue's words (a suite's name for its id). */
  context?: ErrorContext;
}

/**
 * For model consumers: is this exact artifact an approved version? Hashes the directory as the
 * registry does and asks the on-chain registry; an application calls this before loading a model.
 */
export async function checkModel(
  connection: CharterConnection,
  modelDir: string,
  options: CheckOptions = {},
): Promise<ModelCheck> {
  const digest = await modelDigest(modelDir);
  return checkDigest(connection, digest, options);
}

export async function checkDigest(
  connection: CharterConnection,
  digest: Hex,
  options: CheckOptions = {},
): Promise<ModelCheck> {
  const { modelRegistry } = connection.deployment.contracts;
  const code = await connection.public.readContract({
    address: modelRegistry,
    abi: modelRegistryAbi,
    functionName: 'statusOf',
    args: [digest],
  });
  const status = modelStatuses[code] ?? ModelStatus.unknown;
  let family: string | undefined;
  let version: string | undefined;
  if (status !== ModelStatus.unknown) {
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
  const suspension =
    status === ModelStatus.suspended ? await readSuspension(connection, digest) : undefined;
  const name = family ? `${family} ${version} (${shortHex(digest)})` : digest;
  const lines = [
    status === ModelStatus.unknown
      ? `${name} is not a registered model version: do not load it`
      : status === ModelStatus.approved
        ? `${name} is approved`
        : suspension
          ? `${name} is suspended until ${formatTime(suspension.until)}${suspension.reason ? ` (${suspension.reason})` : ''}, not approved: do not load it`
          : `${name} is ${status}, not approved: do not load it`,
  ];
  const policy = options.policy
    ? await checkPolicy(connection, digest, options.policy, options.context)
    : undefined;
  if (policy) {
    lines.push(
      policy.met
        ? `its evidence meets policy ${policy.policy} v${policy.version}`
        : `against policy ${policy.policy}${policy.version ? ` v${policy.version}` : ''}: ${policy.message}`,
    );
  }
  return {
    digest,
    status,
    approved: status === ModelStatus.approved,
    family,
    version,
    ...(suspension
      ? {
          suspendedUntil: suspension.until,
          ...(suspension.reason ? { suspensionReason: suspension.reason } : {}),
        }
      : {}),
    ...(policy ? { policy } : {}),
    summary: lines.join('\n'),
  };
}

/** When a suspended version's suspension lapses, and the guardian's reason (its latest `ModelSuspended`). */
async function readSuspension(connection: CharterConnection, modelId: Hex) {
  const { modelRegistry } = connection.deployment.contracts;
  const [until, events] = await Promise.all([
    connection.public.readContract({
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'suspendedUntil',
      args: [modelId],
    }),
    connection.public.getContractEvents({
      address: modelRegistry,
      abi: modelRegistryAbi,
      eventName: 'ModelSuspended',
      args: { modelId },
      fromBlock: BigInt(connection.deployment.deploymentBlock),
    }),
  ]);
  return { until: Number(until), reason: events.at(-1)?.args.reason };
}

/** Unix seconds as people read them: `2026-12-14 14:05 UTC`. */
const formatTime = (seconds: number): string =>
  `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The contract's verdict on the evidence for `modelId` against `policy`, in the catalogue's words. */
export async function checkPolicy(
  connection: CharterConnection,
  modelId: Hex,
  policy: string,
  context?: ErrorContext,
): Promise<PolicyVerdict> {
  const policyId = shortNameToBytes32(policy);
  const [met, version, failure] = await connection.public.readContract({
    address: connection.deployment.contracts.policyRegistry,
    abi: policyRegistryAbi,
    functionName: 'checkPolicy',
    args: [modelId, policyId],
  });
  const verdict: PolicyVerdict = { policy: bytes32ToText(policyId), version: Number(version), met };
  const error = met ? undefined : decodeCharterError(failure, context);
  if (!error) return verdict;
  const ruleIndex = failingRuleIndex(error);
  return {
    ...verdict,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    error: error.name,
    message: error.message,
  };
}
