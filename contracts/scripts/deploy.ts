// npm run deploy -- --rpc-url URL [--private-key KEY] [--config FILE] [--out DIR]
// Deploys and wires Charter, then writes the deployments file (DIR/<chainId>.json). Each step is recorded in
// DIR/<chainId>.progress.json as it lands, so a rerun after a failure continues where it stopped.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPublicClient, http, type Hex } from 'viem';

import { anvilPrivateKey } from '../ts/devAccounts';
import { deployCharter, type DeployConfig } from '../ts/deploy';
import {
  defaultDeploymentsDir,
  deploymentPath,
  loadDeployment,
  writeDeployment,
} from '../ts/deployments';

const LOCAL_CHAIN_ID = 31337;

const { values } = parseArgs({
  options: {
    'rpc-url': { type: 'string', default: process.env.RPC_URL ?? 'http://127.0.0.1:8545' },
    'private-key': { type: 'string', default: process.env.DEPLOYER_PRIVATE_KEY },
    config: { type: 'string' },
    out: { type: 'string', default: defaultDeploymentsDir() },
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

// Amounts in a config file are decimal strings of token units (18 decimals), as JSON has no bigint.
let config: Partial<DeployConfig> = {};
if (values.config) {
  const raw = JSON.parse(readFileSync(userPath(values.config), 'utf8')) as Record<string, unknown>;
  for (const key of ['supply', 'proposalThreshold'] as const) {
    if (raw[key] !== undefined) raw[key] = BigInt(raw[key] as string);
  }
  config = raw as Partial<DeployConfig>;
}

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
}).catch((error: Error) => fail(error.message));
const path = writeDeployment(deployment, out);
console.log(
  `deployed Charter to chain ${chainId} from block ${deployment.deploymentBlock}: ${path}`,
);
