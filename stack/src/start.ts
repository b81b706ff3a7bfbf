// startStack: the whole platform on one machine, or the indexer and web app against an existing chain. The
// `npm start` command line is cli.ts; README.md describes both.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deployCharter,
  DevChain,
  loadDeployment,
  startAnvil,
  writeDeployment,
  type DeployConfigOverrides,
  type Deployment,
} from '@charter/contracts';
import type { GameParameters } from '@charter/contracts/protocol';
import { createPublicClient, http, parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { indexerFlags, ROOT, type StackConfig } from './config';
import { demoAccounts, GUARDIAN_TERM, seedDemoDao } from './demoDao';
import { ensurePortFree, Supervisor, waitForHttp } from './supervisor';

/**
 * The demo's evidence game: a result waits 3 minutes before it counts, in real time, so that `npm start`
 * shows the whole game (the liar's results posted, re-run by the honest watchers, disputed, resolved) in
 * minutes without anyone moving the clock, while leaving the watchers room to evaluate both versions and
 * re-run the liar's reports on a crowded two-core machine (about a minute and a half at worst). Anything
 * that advances time (a vote's three days) closes every window. Disputes lapse after 7 days, longer than a
 * whole demo proposal (5 days and an hour at most), so governance can still uphold through a vote; the
 * security council resolves at once. Bonds and the disputer's share are the production values.
 */
export const demoEvidenceGame: GameParameters = {
  challengePeriod: 180,
  minBond: parseEther('1'),
  disputeBond: parseEther('0.1'),
  unbondingDelay: 60 * 60 * 24,
  resolutionTimeout: 60 * 60 * 24 * 7,
  disputerShareBps: 5000,
};

/**
 * Short enough to try the whole lifecycle with the UI's "advance time"; long enough to read. The security
 * council (a dev account here; a multisig on a real network) is the guardian for a year and resolves
 * disputes; approvals and suspensions keep the defaults (a 30-day approval window, 14-day suspensions).
 */
export const demoDeployConfig: DeployConfigOverrides = {
  votingDelay: 60 * 60,
  votingPeriod: 60 * 60 * 24 * 3,
  lateQuorumVoteExtension: 60 * 60 * 24,
  timelockDelay: 60 * 60 * 24,
  proposalGuardian: privateKeyToAccount(demoAccounts.securityCouncil).address,
  guardianTerm: GUARDIAN_TERM,
  evidenceGame: demoEvidenceGame,
  resolver: privateKeyToAccount(demoAccounts.securityCouncil).address,
};

const log = (line: string) => process.stderr.write(`${line}\n`);

export interface RunningStack {
  url: string;
  indexerUrl: string;
  rpcUrl: string;
  /** Unset on another chain when no RELAYER_PRIVATE_KEY was given. */
  relayerUrl?: string;
  notifierUrl: string;
  deployment: Deployment;
  /** Rejects, naming the service and how it ended, if any part of the stack dies. */
  failure: Promise<never>;
  stop(): Promise<void>;
}

/** Starts the stack; resolves once the web app answers. */
export async function startStack(config: StackConfig): Promise<RunningStack> {
  const started = Date.now();
  const local = !config.rpcUrl;
  if (config.fresh) rmSync(config.dataDir, { recursive: true, force: true });
  else if (local) discardDemoOfOtherContracts(config.dataDir);
  mkdirSync(config.dataDir, { recursive: true });

  if (local) await ensurePortFree(config.anvilPort, 'anvil');
  await ensurePortFree(config.indexerPort, 'indexer');
  await ensurePortFree(config.webPort, 'web');
  await ensurePortFree(config.relayerPort, 'relayer');
  await ensurePortFree(config.notifierPort, 'notifier');

  let failed: ((reason: Error) => void) | undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const supervisor = new Supervisor((service, reason) =>
    failed?.(new Error(`${service} ${reason}`)),
  );
  failure.catch(() => {}); // observed by the race below and by the caller's process handler
  const onAbort = () => failed?.(new Error('start-up interrupted'));
  if (config.signal?.aborted) onAbort();
  config.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    let rpcUrl = config.rpcUrl;
    let deployment: Deployment;
    if (local) {
      const anvil = await startAnvil({
        port: config.anvilPort,
        stateFile: join(config.dataDir, 'anvil-state.json'),
        args: ['--state-interval', '5'],
      });
      supervisor.adopt('anvil', anvil.process);
      rpcUrl = anvil.rpcUrl;
      deployment = await Promise.race([localDeployment(rpcUrl, config.dataDir), failure]);
    } else {
      const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
      deployment = loadDeployment(config.deployment ?? chainId);
      if (deployment.chainId !== chainId) {
        throw new Error(
          `the deployments file is for chain ${deployment.chainId}, but ${rpcUrl} is chain ${chainId}`,
        );
      }
    }
    // An existing chain's files live apart from the demo's, per chain, so that neither overwrites the other
    // (even an external chain with the demo's id, 31337).
    const chainDir = local ? config.dataDir : join(config.dataDir, `chain-${deployment.chainId}`);
    const deploymentFile = join(chainDir, 'deployments', `${deployment.chainId}.json`);
    writeDeployment(deployment, join(chainDir, 'deployments'));

    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const indexerUrl = `http://127.0.0.1:${config.indexerPort}`;
    supervisor.start({
      name: 'indexer',
      command: tsx,
      args: [
        join(ROOT, 'indexer/src/cli.ts'),
        '--rpc-url',
        rpcUrl!,
        '--deployment',
        deploymentFile,
        '--port',
        String(config.indexerPort),
        ...(config.databaseUrl
          ? ['--database-url', config.databaseUrl]
          : ['--data-dir', join(chainDir, 'indexer')]),
        ...indexerFlags(config.indexer ?? {}),
      ],
    });
    const url = `http://127.0.0.1:${config.webPort}`;
    // The relayer and the notifier keep their few tables in PGlite in the data directory, also when the
    // indexer uses PostgreSQL: each is one process, and a database of their own keeps their migrations apart.
    // They start beside the indexer, not after it: neither needs it to start, and a new database takes
    // seconds to create.
    // The relayer pays for others' votes and delegations: on the demo chain with the dev account named
    // for it; on another chain only with a key given in RELAYER_PRIVATE_KEY (never a flag: it would show
    // in the process list).
    const relayerKey = local
      ? demoAccounts.relayer
      : (process.env.RELAYER_PRIVATE_KEY as Hex | undefined);
    const relayerUrl = relayerKey ? `http://127.0.0.1:${config.relayerPort}` : undefined;
    if (relayerKey) {
      supervisor.start({
        name: 'relayer',
        command: tsx,
        args: [
          join(ROOT, 'relayer/src/cli.ts'),
          '--rpc-url',
          rpcUrl!,
          '--deployment',
          deploymentFile,
          '--indexer-url',
          indexerUrl,
          '--port',
          String(config.relayerPort),
          '--data-dir',
          join(chainDir, 'relayer'),
        ],
        env: { RELAYER_PRIVATE_KEY: relayerKey, DATABASE_URL: '' },
      });
    }
    const notifierUrl = `http://127.0.0.1:${config.notifierPort}`;
    supervisor.start({
      name: 'notifier',
      command: tsx,
      args: [
        join(ROOT, 'notifier/src/cli.ts'),
        '--rpc-url',
        rpcUrl!,
        '--deployment',
        deploymentFile,
        '--indexer-url',
        indexerUrl,
        '--port',
        String(config.notifierPort),
        '--public-url',
        url,
        '--data-dir',
        join(chainDir, 'notifier'),
        ...(config.indexer?.confirmations === undefined
          ? []
          : ['--confirmations', String(config.indexer.confirmations)]),
      ],
      env: { DATABASE_URL: '' }, // the indexer's, when set: not theirs (above)
    });
    await Promise.race([waitForHttp(`${indexerUrl}/ready`, 120_000), failure]);

    if (local) {
      for (const [name, key] of Object.entries(demoAccounts.evaluators)) {
        const short = name.replace(/\s+/g, '-'); // evaluator-one: its log prefix and state directory
        supervisor.start({
          name: short,
          background: true,
          command: tsx,
          args: [
            join(ROOT, 'evaluator/src/cli.ts'),
            'watch',
            '--rpc-url',
            rpcUrl!,
            '--deployment',
            deploymentFile,
            '--private-key',
            key,
            '--state-dir',
            join(config.dataDir, short),
            '--indexer-url',
            indexerUrl,
          ],
        });
      }
      // The liar: evaluates mail-guard v1, posts inflated results once, and exits.
      supervisor.start({
        name: 'evaluator-three',
        background: true,
        command: tsx,
        args: [
          join(ROOT, 'stack/src/dishonestEvaluatorCli.ts'),
          '--rpc-url',
          rpcUrl!,
          '--deployment',
          deploymentFile,
          '--private-key',
          demoAccounts.dishonestEvaluator,
          '--state-dir',
          join(config.dataDir, 'evaluator-three'),
        ],
        once: true,
      });
    }

    supervisor.start({
      name: 'web',
      command: process.execPath,
      args: [join(config.webBuildDir ?? join(ROOT, 'web/build'), 'index.js')],
      env: {
        PORT: String(config.webPort),
        HOST: '127.0.0.1',
        ORIGIN: url,
        CHARTER_INDEXER_URL: indexerUrl,
        CHARTER_RPC_URL: rpcUrl!,
        ...(relayerUrl ? { CHARTER_RELAYER_URL: relayerUrl } : {}),
        CHARTER_NOTIFIER_URL: notifierUrl,
        CHARTER_CHAIN_ID: String(deployment.chainId),
        // Dev accounts, advance-time and `/rpc` only on the anvil started here, never on a chain given by --rpc-url.
        CHARTER_DEV_CHAIN: local ? '1' : '0',
      },
    });
    await Promise.race([
      Promise.all([
        relayerUrl && waitForHttp(`${relayerUrl}/ready`, 60_000),
        waitForHttp(`${notifierUrl}/ready`, 60_000),
        waitForHttp(url, 60_000),
      ]),
      failure,
    ]);

    config.signal?.removeEventListener('abort', onAbort);
    log(banner(url, { indexerUrl, rpcUrl: rpcUrl!, relayerUrl, notifierUrl }, local, started));
    return {
      url,
      indexerUrl,
      rpcUrl: rpcUrl!,
      relayerUrl,
      notifierUrl,
      deployment,
      failure,
      stop: () => supervisor.stop(),
    };
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
}

const CONTRACTS_BUILD_FILE = 'contracts-build';

/** Identifies the contracts as built now: the hash of their generated creation bytecode. */
function contractsBuild(): string {
  const bytecode = readFileSync(join(ROOT, 'contracts/ts/generated/bytecode.ts'));
  return createHash('sha256').update(bytecode).digest('hex');
}

/**
 * The demo chain in the data directory runs the contracts of the build that deployed it; after an update that
 * changed them, its deployment no longer matches this checkout's ABIs, so the demo starts over.
 */
function discardDemoOfOtherContracts(dataDir: string): void {
  const recorded = join(dataDir, CONTRACTS_BUILD_FILE);
  if (!existsSync(join(dataDir, 'deployments'))) return;
  if (existsSync(recorded) && readFileSync(recorded, 'utf8') === contractsBuild()) return;
  log('the contracts changed since the demo in the data directory was deployed: starting it over');
  rmSync(dataDir, { recursive: true, force: true });
}

/** The deployment kept in the data directory if the chain still has it, else a fresh one with a demo DAO. */
async function localDeployment(rpcUrl: string, dataDir: string): Promise<Deployment> {
  const dir = join(dataDir, 'deployments');
  const client = createPublicClient({ transport: http(rpcUrl) });
  if (existsSync(join(dir, '31337.json'))) {
    const kept = loadDeployment(31337, dir);
    if (await client.getCode({ address: kept.contracts.governor })) {
      log('found the deployment and demo DAO from the last run (start over with --fresh)');
      return kept;
    }
  }
  log('deploying Charter and seeding the demo DAO');
  const deployment = await deployCharter({
    rpcUrl,
    privateKey: demoAccounts.deployer,
    config: demoDeployConfig,
    // On the demo chain the guardian is a dev account without code, on purpose: one line, not a warning.
    warn: (line) => log(`  note: ${line}`),
  });
  writeDeployment(deployment, dir);
  writeFileSync(join(dataDir, CONTRACTS_BUILD_FILE), contractsBuild());
  await seedDemoDao(new DevChain(rpcUrl, deployment), (line) => log(`  ${line}`));
  return deployment;
}

function banner(
  url: string,
  services: { indexerUrl: string; rpcUrl: string; relayerUrl?: string; notifierUrl: string },
  local: boolean,
  started: number,
): string {
  const lines = [
    '',
    `Charter is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${url}`,
    `  indexer API  ${services.indexerUrl}   chain RPC  ${services.rpcUrl}`,
    `  notifier     ${services.notifierUrl}   relayer    ${services.relayerUrl ?? 'not started (no RELAYER_PRIVATE_KEY)'}`,
  ];
  if (local) {
    lines.push('  dev accounts (anvil keys, local chain only; pick one by name in the web app):');
    for (const [name, key] of Object.entries(demoAccounts.holders)) {
      lines.push(`    ${name.padEnd(16)} ${privateKeyToAccount(key).address}  token holder`);
    }
    lines.push(
      `    ${'frank'.padEnd(16)} ${privateKeyToAccount(demoAccounts.gaslessHolder).address}  token holder with no ETH: votes and delegates without gas`,
    );
    for (const [name, key] of Object.entries(demoAccounts.evaluators)) {
      lines.push(`    ${name.padEnd(16)} ${privateKeyToAccount(key).address}  in watch mode`);
    }
    lines.push(
      `    ${'evaluator three'.padEnd(16)} ${privateKeyToAccount(demoAccounts.dishonestEvaluator).address}  dishonest: posts inflated results for mail-guard v1`,
      `    ${'security council'.padEnd(16)} ${privateKeyToAccount(demoAccounts.securityCouncil).address}  proposal guardian: suspends approved versions; resolves disputes`,
    );
  }
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
