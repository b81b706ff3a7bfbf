import { readFile, writeFile } from 'node:fs/promises';
import {
  DeploymentFileError,
  DeploymentNotFoundError,
  findDeployment,
  findLiveDeployment,
  userPath,
  type Deployment,
} from '@charter/contracts';
import { ModelStatus } from '@charter/contracts/protocol';
import { Option, type Command } from 'commander';
import { createPublicClient, http, type Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import { readReport } from '../reports/readReport.js';
import type { Device } from '../runners/types.js';
import { listSuites } from '../suites/listSuites.js';
import { checkModel } from './checkModel.js';
import { connectCharter, type CharterConnection } from './connect.js';
import { ChainUnreachableError, DeploymentMissingError, OnChainExitCode } from './errors.js';
import { relaySubmission, signSubmission, type SignedSubmission } from './signSubmission.js';
import { submitResult } from './submitResult.js';
import { watch } from './watch.js';

interface ChainOptions {
  rpcUrl: string;
  deployment?: string;
  privateKey?: Hex;
}

interface Output {
  json(): boolean;
  print(value: unknown): void;
}

/** `submit`, `relay`, `check` and `watch`: the commands that talk to a deployed Charter. */
export function addOnChainCommands(program: Command, out: Output): void {
  chainOptions(program.command('submit'))
    .description(
      "post a report's result on-chain as an admitted evaluator (or sign it for a relayer)",
    )
    .argument('<report>', 'report file')
    .requiredOption('--uri <uri>', 'where the report can be fetched')
    .option(
      '--sign-only',
      'sign the result (EIP-712) instead of sending it; prints the signed result',
    )
    .option('-o, --out <file>', 'with --sign-only: write the signed result here')
    .action(
      async (
        path: string,
        opts: ChainOptions & { uri: string; signOnly?: boolean; out?: string },
      ) => {
        const report = await readReport(userPath(path));
        const connection = await connect(opts, true);
        if (opts.signOnly) {
          const signed = await signSubmission(connection, report, opts.uri);
          if (opts.out) await writeFile(userPath(opts.out), `${JSON.stringify(signed, null, 2)}\n`);
          if (out.json() || !opts.out) return out.print(signed);
          return console.log(
            `signed by ${signed.evaluator}; valid until ${signed.deadline}: ${opts.out}`,
          );
        }
        const outcome = await submitResult(connection, report, opts.uri);
        if (out.json()) return out.print(outcome);
        console.log(
          outcome.status === 'submitted'
            ? `submitted ${report.suite.name} for ${report.model.digest}: result ${outcome.resultId} (tx ${outcome.txHash})`
            : `already on-chain: result ${outcome.resultId}; nothing sent`,
        );
      },
    );

  chainOptions(program.command('relay'))
    .description('send a result signed by an evaluator, paying the gas')
    .argument('<signed>', 'signed result file (from submit --sign-only)')
    .action(async (path: string, opts: ChainOptions) => {
      const signed = JSON.parse(await readFile(userPath(path), 'utf8')) as SignedSubmission;
      const outcome = await relaySubmission(await connect(opts, true), signed);
      if (out.json()) return out.print(outcome);
      console.log(`relayed the result of ${signed.evaluator}: ${outcome.resultId}`);
    });

  chainOptions(program.command('check'))
    .description(
      'say whether this exact model directory is an approved version (exit 0 only then; 8 when suspended)',
    )
    .argument('<model-dir>', 'model directory')
    .option(
      '--policy <name>',
      'also say whether its evidence meets this policy now, and which rule fails',
    )
    .action(async (dir: string, opts: ChainOptions & { policy?: string }) => {
      const suiteNames = new Map((await listSuites()).map((s) => [s.id, s.suite.name]));
      const result = await checkModel(await connect(opts, false), userPath(dir), {
        policy: opts.policy,
        context: { suiteName: (id) => suiteNames.get(id) },
      });
      if (out.json()) out.print(result);
      else console.log(result.summary);
      process.exitCode = result.approved
        ? 0
        : result.status === ModelStatus.suspended
          ? OnChainExitCode.Suspended
          : OnChainExitCode.NotApproved;
    });

  chainOptions(program.command('watch'))
    .description(
      'evaluate every candidate model, and every model a proposal would approve, on the suites of the active policies, and submit',
    )
    .requiredOption('--state-dir <dir>', 'keeps reports, refusals and fetched models between runs')
    .option(
      '--indexer-url <url>',
      'the indexer API that follows this deployment (env CHARTER_INDEXER_URL)',
      process.env.CHARTER_INDEXER_URL ?? 'http://127.0.0.1:42069',
    )
    .option('--suites <dir>', 'a directory of suite files instead of the bundled ones')
    .option(
      '--poll-ms <n>',
      "milliseconds between looks when the indexer's stream is quiet",
      Number,
      10_000,
    )
    .option(
      '--report-base-url <url>',
      'where the reports written to <state-dir>/reports are served',
    )
    .addOption(
      new Option('--device <device>').choices(['auto', 'cpu', 'cuda', 'webgpu']).default('auto'),
    )
    .option('-b, --batch-size <n>', 'samples per model call', Number, 32)
    .action(
      async (
        opts: ChainOptions & {
          stateDir: string;
          indexerUrl: string;
          suites?: string;
          pollMs: number;
          reportBaseUrl?: string;
          device: Device;
          batchSize: number;
        },
      ) => {
        const controller = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const)
          process.once(signal, () => controller.abort());
        await watch(await connect(opts, true), {
          indexer: opts.indexerUrl,
          stateDir: userPath(opts.stateDir),
          suitesDir: opts.suites ? userPath(opts.suites) : undefined,
          pollIntervalMs: opts.pollMs,
          batchSize: opts.batchSize,
          runner: { device: opts.device },
          reportUri: opts.reportBaseUrl
            ? (_path, digest) => `${opts.reportBaseUrl!.replace(/\/$/, '')}/${digest}.json`
            : undefined,
          signal: controller.signal,
          // One JSON event per line, on stderr: what a log collector reads.
          log: (event, fields) =>
            process.stderr.write(
              `${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`,
            ),
        });
      },
    );
}

function chainOptions(command: Command): Command {
  return command
    .option(
      '--rpc-url <url>',
      'JSON-RPC endpoint (env RPC_URL)',
      process.env.RPC_URL ?? 'http://127.0.0.1:8545',
    )
    .option(
      '--deployment <file>',
      "deployments file (env CHARTER_DEPLOYMENT; default: deployments/<chainId>.json, then the running demo's .data/deployments/<chainId>.json)",
    )
    .option(
      '--private-key <key>',
      'the evaluator key (env EVALUATOR_PRIVATE_KEY)',
      process.env.EVALUATOR_PRIVATE_KEY,
    );
}

async function connect(opts: ChainOptions, needsKey: boolean): Promise<CharterConnection> {
  if (needsKey && !opts.privateKey) {
    throw new EvaluatorError('this command needs --private-key (or EVALUATOR_PRIVATE_KEY)');
  }
  const deployment = await deploymentFor(opts);
  return connectCharter({ rpcUrl: opts.rpcUrl, deployment, privateKey: opts.privateKey });
}

/** The deployments file named, or the one for the chain at --rpc-url; bad input when there is none. */
async function deploymentFor(opts: ChainOptions): Promise<Deployment> {
  const named = opts.deployment || process.env.CHARTER_DEPLOYMENT;
  try {
    if (named) return findDeployment({ file: named });
    const client = createPublicClient({ transport: http(opts.rpcUrl) });
    const chainId = await client.getChainId().catch((cause: Error) => {
      throw new ChainUnreachableError(
        `cannot reach ${opts.rpcUrl}`,
        { rpcUrl: opts.rpcUrl },
        { cause },
      );
    });
    return await findLiveDeployment({ chainId }, async (address) =>
      Boolean(await client.getCode({ address })),
    );
  } catch (error) {
    if (error instanceof DeploymentNotFoundError) {
      throw new DeploymentMissingError(
        `no deployments file for chain ${error.chainId}: looked for ${error.searched.join(' and ')}${error.stale.length ? ` (${error.stale.join(' and ')} name contracts this chain does not have)` : ''}. Start the demo (npm start), or pass --deployment <file> (or set CHARTER_DEPLOYMENT) naming the deployments file of the contracts at ${opts.rpcUrl}`,
        { chainId: error.chainId, searched: error.searched },
      );
    }
    if (error instanceof DeploymentFileError) {
      throw new DeploymentMissingError(
        `${error.message}${named ? ` (named by ${opts.deployment ? '--deployment' : 'CHARTER_DEPLOYMENT'})` : ''}. Pass --deployment <file> naming a deployments file written by the deploy, such as .data/deployments/31337.json while npm start runs`,
        { path: error.path },
        { cause: error.cause ?? error },
      );
    }
    throw error;
  }
}
