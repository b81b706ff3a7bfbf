import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAddress, type Address, type Hex } from 'viem';

/** Where a deployed Charter lives: what every other package reads instead of pasting addresses. */
export interface Deployment {
  chainId: number;
  /** Block of the first deployment transaction: where an indexer starts. */
  deploymentBlock: number;
  deployer: Address;
  contracts: {
    token: Address;
    timelock: Address;
    governor: Address;
    evidenceRegistry: Address;
    policyRegistry: Address;
    modelRegistry: Address;
  };
  transactions: Hex[];
}

/** The repository's `deployments/` folder, or `CHARTER_DEPLOYMENTS` when set. */
export const defaultDeploymentsDir = (): string =>
  process.env.CHARTER_DEPLOYMENTS ??
  resolve(dirname(fileURLToPath(import.meta.url)), '../../deployments');

export const deploymentPath = (chainId: number, dir = defaultDeploymentsDir()): string =>
  join(dir, `${chainId}.json`);

export class DeploymentFileError extends Error {
  override name = 'DeploymentFileError';
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${message}: ${path}`, options);
  }
}

export function writeDeployment(deployment: Deployment, dir = defaultDeploymentsDir()): string {
  const path = deploymentPath(deployment.chainId, dir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(deployment, null, 2)}\n`);
  return path;
}

/** Reads a deployments file, by chain id (in `dir`) or by path, and checks its shape. */
export function loadDeployment(source: number | string, dir = defaultDeploymentsDir()): Deployment {
  const path = typeof source === 'number' ? deploymentPath(source, dir) : source;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new DeploymentFileError('cannot read deployments file', path, { cause });
  }
  const deployment = parsed as Deployment;
  if (!Number.isInteger(deployment?.chainId) || !Number.isInteger(deployment.deploymentBlock)) {
    throw new DeploymentFileError('deployments file lacks chainId or deploymentBlock', path);
  }
  const names = [
    'token',
    'timelock',
    'governor',
    'evidenceRegistry',
    'policyRegistry',
    'modelRegistry',
  ] as const;
  for (const name of names) {
    try {
      deployment.contracts[name] = getAddress(deployment.contracts?.[name] ?? '');
    } catch (cause) {
      throw new DeploymentFileError(`deployments file has no valid address for ${name}`, path, {
        cause,
      });
    }
  }
  return deployment;
}
