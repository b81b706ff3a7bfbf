// npm run deploy -- --rpc-url URL [--private-key KEY] [--config FILE] [--out DIR] [--allow-weak-guardian]
// Deploys and wires Charter, then writes the deployments file (DIR/<chainId>.json). Each step is recorded in
// DIR/<chainId>.progress.json as it lands, so a rerun after a failure continues where it stopped. On a real
// network (chain id other than 31337) a configuration without a proposal guardian, or with the deployer as
// guardian, is refused unless --allow-weak-guardian (or allowWeakGuardian in the config file).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPublicClient, http, type Hex } from 'viem';

import { anvilPrivateKey } from '../ts/devAccounts';
import {
  deployCharter,
  LOCAL_CHAIN_ID,
  parseDeployConfig,
  type DeployConfigOverrides,
} from '../ts/deploy';
import {
  defaultDeploymentsDir,
  deploymentPath,
  loadDeployment,
  writeDeployment,
} from '../ts/deployments';

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string', default: process.env.RPC_URL ?? 'http://127.0.0.1:8545' },
    'private-key': { type: 'string', default: process.env.DEPLOYER_PRIVATE_KEY },
    config: { type: 'string' },
    out: { type: 'string', default: defaultDeploymentsDir() },
    'allow-weak-guardian': { type: 'boolean', default: false },
  },
});
const rpcUrl = values['rpc-url'];
// Paths are the user's, typed where they ran npm (npm runs this script inside contracts/).
const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
const out = userPath(values.out);

function fail(message: string): never {
  console.error(`deploy: ${message}`);
  process.exit(1);
}

const client = createPublicClient({ transport: http(rpcUrl) });
const chainId = await client
  .getChainId()
  .catch((error: Error) => fail(`cannot reach ${rpcUrl}: ${error.message}`));
let privateKey = values['private-key'] as Hex | undefined;
if (!privateKey) {
  if (chainId !== LOCAL_CHAIN_ID) {
    fail(`chain ${chainId} is not a local chain: pass --private-key or set DEPLOYER_PRIVATE_KEY`);
  }
  privateKey = anvilPrivateKey(0);
}

let config: DeployConfigOverrides = {};
if (values.config) {
  const file = userPath(values.config);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  try {
    config = parseDeployConfig(raw, file);
  } catch (error) {
    fail((error as Error).message);
  }
}
if (values['allow-weak-guardian']) config.allowWeakGuardian = true;

const done = deploymentPath(chainId, out);
// A finished deployment that the chain still has is not deployed twice; one the chain lost (a restarted
// dev chain) is stale, and is replaced.
if (existsSync(done)) {
  const { governor } = loadDeployment(done).contracts;
  if (await client.getCode({ address: governor })) {
    fail(`${done} already records a deployment on chain ${chainId}; move it away to deploy again`);
  }
  console.error(`${done} records contracts this chain does not have: deploying anew`);
}
const progressFile = done.replace(/\.json$/, '.progress.json');
if (existsSync(progressFile)) console.error(`resuming the deployment recorded in ${progressFile}`);
const deployment = await deployCharter({
  rpcUrl,
  privateKey,
  config,
  progressFile,
  log: (line) => console.error(`  ${line}`),
  warn: (line) => console.error(`deploy: WARNING: ${line}`),
}).catch((error: Error) => fail(error.message));
const path = writeDeployment(deployment, out);
console.log(
  `deployed Charter to chain ${chainId} from block ${deployment.deploymentBlock}: ${path}`,
);
