import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The repository's root directory. */
export const repositoryRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The repository's `deployments/` folder, or `CHARTER_DEPLOYMENTS` when set. */
export const defaultDeploymentsDir = (): string =>
  process.env.CHARTER_DEPLOYMENTS ?? join(repositoryRoot, 'deployments');

/**
 * The directory a person ran the command in. `npm run -w <package>` runs scripts inside the package but
 * records where it was typed in `INIT_CWD`; paths people type are relative to that.
 */
export const invocationDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.INIT_CWD || process.cwd();

/** A path a person typed, resolved against the directory they typed it in (`invocationDir`). */
export const userPath = (path: string, env: NodeJS.ProcessEnv = process.env): string =>
  resolve(invocationDir(env), path);

/** The data directory of the running demo (`npm start`): `CHARTER_DATA_DIR`, else `<repository>/.data`. */
export const stackDataDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CHARTER_DATA_DIR ? userPath(env.CHARTER_DATA_DIR, env) : join(repositoryRoot, '.data');

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

/** No deployments file was found for a chain; `searched` lists the files looked for, in order. */
export class DeploymentNotFoundError extends DeploymentFileError {
  override name = 'DeploymentNotFoundError';
  constructor(
    readonly chainId: number,
    readonly searched: string[],
    /** Files that exist but whose contracts the chain does not have (a restarted dev chain). */
    readonly stale: string[] = [],
  ) {
    super(
      stale.length
        ? `no deployments file for chain ${chainId} names contracts that chain has; stale`
        : `no deployments file for chain ${chainId}; looked for`,
      (stale.length ? stale : searched).join(' and '),
    );
  }
}

export interface DeploymentSource {
  /** A deployments file a person named (an option); relative paths are theirs (`userPath`). */
  file?: string;
  /** The chain to find a deployment of when no file is named. */
  chainId?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * The deployments files that `findDeployment` tries, in order: the named file, else `CHARTER_DEPLOYMENT`,
 * else for the chain the repository's `deployments/<chainId>.json` (real networks, committed), then the
 * running demo's `<CHARTER_DATA_DIR or .data>/deployments/<chainId>.json` (where `npm start` writes).
 */
export function deploymentCandidates({
  file,
  chainId,
  env = process.env,
}: DeploymentSource): string[] {
  const named = file || env.CHARTER_DEPLOYMENT;
  if (named) return [userPath(named, env)];
  if (chainId === undefined) throw new TypeError('name a deployments file or a chain id');
  const repository = env.CHARTER_DEPLOYMENTS
    ? userPath(env.CHARTER_DEPLOYMENTS, env)
    : join(repositoryRoot, 'deployments');
  return [
    deploymentPath(chainId, repository),
    deploymentPath(chainId, join(stackDataDir(env), 'deployments')),
  ];
}

/**
 * The deployment a command should use (see `deploymentCandidates`). A named file that cannot be read is a
 * DeploymentFileError; no file found for the chain is a DeploymentNotFoundError naming every path tried.
 */
export function findDeployment(source: DeploymentSource): Deployment {
  const candidates = deploymentCandidates(source);
  if (candidates.length === 1) return loadDeployment(candidates[0]!);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new DeploymentNotFoundError(source.chainId!, candidates);
  return loadDeployment(found);
}

/**
 * `findDeployment` for a chain that can be asked: the first candidate whose governor has code there, so a
 * file left by an earlier dev chain does not hide the one the running demo wrote.
 */
export async function findLiveDeployment(
  source: DeploymentSource,
  hasCode: (address: Address) => Promise<boolean>,
): Promise<Deployment> {
  const candidates = deploymentCandidates(source);
  if (candidates.length === 1) return loadDeployment(candidates[0]!);
  const existing = candidates.filter((path) => existsSync(path));
  for (const path of existing) {
    const deployment = loadDeployment(path);
    if (await hasCode(deployment.contracts.governor)) return deployment;
  }
  throw new DeploymentNotFoundError(source.chainId!, candidates, existing);
}
