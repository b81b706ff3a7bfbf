import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DeploymentFileError,
  DeploymentNotFoundError,
  findDeployment,
  findLiveDeployment,
  userPath,
  type Deployment,
} from '@charter/contracts';
import { modelRegistryAbi } from '@charter/contracts/abis';
import { disputeStatuses, formatWad, ModelStatus } from '@charter/contracts/protocol';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createPublicClient, http, isAddress, parseEther, type Address, type Hex } from 'viem';

import { EvaluatorError } from '../errors.js';
import { readReport } from '../reports/readReport.js';
import type { Report } from '../reports/types.js';
import { differingSamples, verifyReport } from '../reports/verifyReport.js';
import { writeReport } from '../reports/writeReport.js';
import { isHex32 } from '../util/sha256.js';
import type { Device } from '../runners/types.js';
import { listSuites } from '../suites/listSuites.js';
import { checkModel } from './checkModel.js';
import { connectCharter, type CharterConnection } from './connect.js';
import {
  checkAgainstChain,
  disputeObstacle,
  disputeResult,
  findResult,
  firstDisputableSample,
  isoTime,
  listDisputes,
  type ChainDispute,
  type ChainResult,
  type SampleOutcome,
} from './disputes.js';
import {
  ChainUnreachableError,
  DeploymentMissingError,
  DisputeInputError,
  DisputeRefusedError,
  OnChainExitCode,
} from './errors.js';
import { fetchModel } from './fetchModel.js';
import { fetchReport } from './fetchReport.js';
import { relaySubmission, signSubmission, type SignedSubmission } from './signSubmission.js';
import { bond, formatAmount, unbond, withdrawBond, withdrawCredit, type Stake } from './stake.js';
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

/**
 * `submit`, `relay`, `check`, `watch`, `bond`, `unbond`, `withdraw-bond`, `withdraw-credit`, `dispute` and
 * `disputes`: the commands that talk to a deployed Charter.
 */
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
  chainOptions(program.command('bond'))
    .description(
      "add to this evaluator's bond (the chain's native currency); results count only above the minimum",
    )
    .argument('<amount>', 'in ETH, e.g. 1 or 0.5', amountArgument)
    .action(async (amount: bigint, opts: ChainOptions) => {
      const outcome = await bond(await connect(opts, true), amount);
      if (out.json()) return out.print(outcome);
      console.log(`bonded ${formatAmount(amount)} (tx ${outcome.txHash})`);
      console.log(describeStake(outcome.stake));
    });

  chainOptions(program.command('unbond'))
    .description(
      'start unbonding part of the bond: it can be withdrawn (withdraw-bond) after the unbonding delay',
    )
    .argument('<amount>', 'in ETH, e.g. 1 or 0.5', amountArgument)
    .action(async (amount: bigint, opts: ChainOptions) => {
      const outcome = await unbond(await connect(opts, true), amount);
      if (out.json()) return out.print(outcome);
      console.log(`unbonding ${formatAmount(amount)} (tx ${outcome.txHash})`);
      console.log(describeStake(outcome.stake));
    });

  chainOptions(program.command('withdraw-bond'))
    .description(
      'withdraw the unbonding amount, once its delay has passed and no dispute against you is open',
    )
    .action(async (opts: ChainOptions) => {
      const outcome = await withdrawBond(await connect(opts, true));
      if (out.json()) return out.print(outcome);
      console.log(`withdrew ${formatAmount(outcome.amount)} (tx ${outcome.txHash})`);
      console.log(describeStake(outcome.stake));
    });

  chainOptions(program.command('withdraw-credit'))
    .description(
      "pay out an account's credit: a won dispute's share and bond, or a rejected dispute's bond (anyone may send it)",
    )
    .argument('[account]', 'whose credit (default: the account of --private-key)', addressArgument)
    .action(async (account: Address | undefined, opts: ChainOptions) => {
      const outcome = await withdrawCredit(await connect(opts, true), account);
      if (out.json()) return out.print(outcome);
      console.log(
        `paid ${formatAmount(outcome.amount)} to ${outcome.account} (tx ${outcome.txHash})`,
      );
    });

  chainOptions(program.command('dispute'))
    .description(
      'dispute a result inside its challenge window, naming one sample your outcome contradicts; pays the dispute bond',
    )
    .argument(
      '<result-id>',
      'the result (its 0x resultId, as `disputes`, the indexer and the web app show it)',
      hex32Argument,
    )
    .option(
      '--sample <id>',
      "the sample to name (default: the first your outcome contradicts beyond the suite's precision)",
    )
    .option(
      '--report <file>',
      "your own report of the same model and suite (default: re-run the result's report, replaying its settings)",
    )
    .option('--report-uri <uri>', 'where your report is served (default: its file:// URL)')
    .option(
      '-m, --model <dir>',
      'for the re-run: the model directory (default: fetched from its registered URI, checked against its digest)',
    )
    .addOption(
      new Option('--device <device>', "for the re-run: override the report's device").choices([
        'auto',
        'cpu',
        'cuda',
        'webgpu',
      ]),
    )
    .option(
      '-o, --out <file>',
      'for the re-run: where to write your report (default: reports/disputes/<digest>.json)',
    )
    .action(
      async (
        resultId: Hex,
        opts: ChainOptions & {
          sample?: string;
          report?: string;
          reportUri?: string;
          model?: string;
          device?: Device;
          out?: string;
        },
      ) => {
        const connection = await connect(opts, true);
        const result = await findResult(connection, resultId);
        // Said before the report is fetched or the suite re-run: a closed window, a struck result...
        const obstacle = await disputeObstacle(connection, result);
        if (obstacle)
          throw new DisputeRefusedError(`cannot dispute: ${obstacle.why}; nothing was sent`, {
            resultId,
            reason: obstacle.reason,
          });
        const report = await fetchReport(result.uri);
        checkAgainstChain(report, result);
        const own = opts.report
          ? {
              report: ownReport(await readReport(userPath(opts.report)), result),
              path: userPath(opts.report),
            }
          : await rerun(connection, report, result, opts);
        const differences = differingSamples(report, own.report);
        const sample = opts.sample ?? firstDisputableSample(differences)?.id;
        if (!sample)
          throw new DisputeInputError(
            `your outcome reproduces result ${resultId} (report ${own.report.digest}): no sample differs beyond the suite's precision; nothing to dispute`,
            { resultId, report: own.report.digest },
          );
        const claimed = own.report.samples.find((s) => s.id === sample);
        if (!report.samples.some((s) => s.id === sample) || !claimed)
          throw new DisputeInputError(
            `unknown sample "${sample}": ${claimed ? `the report of result ${resultId}` : 'your report'} has no such sample (e.g. "${report.samples[0]?.id ?? ''}")`,
            { resultId, sample },
          );
        const difference = differences.find((d) => d.id === sample);
        if (difference?.withinPrecision)
          throw new DisputeInputError(
            `sample "${sample}": your score differs from the committed one only within the suite's declared precision (${report.suite.scoreDecimals} decimals), which counts as reproducing; nothing to dispute`,
            { resultId, sample },
          );
        const uri = opts.reportUri ?? pathToFileURL(own.path).href;
        const sent = await disputeResult(connection, {
          result,
          report,
          sampleId: sample,
          claim: claimed,
          own: { reportDigest: own.report.digest, uri },
        });
        if (out.json()) return out.print(sent);
        console.log(
          `disputed result ${resultId}, sample "${sample}": dispute #${sent.disputeId} (tx ${sent.txHash})`,
        );
        console.log(`  committed: ${describeOutcome(sent.committed)}`);
        console.log(
          `  yours:     ${describeOutcome({ ...sent.committed, ...claimed })}  (report ${uri})`,
        );
        console.log(
          `  bond ${formatAmount(sent.bond)}; resolved by governance or the resolver, or rejected by default at ${isoTime(sent.lapsesAt)}`,
        );
      },
    );

  chainOptions(program.command('disputes'))
    .description('list the open disputes (or all) with their sample, both outcomes and deadlines')
    .option('--all', 'also the resolved ones')
    .addOption(
      new Option('--status <status>', 'only disputes in this status').choices([...disputeStatuses]),
    )
    .option('--result <id>', 'only disputes of this result', hex32Argument)
    .option('--evaluator <address>', 'only disputes against this evaluator', addressArgument)
    .option('--disputer <address>', 'only disputes by this account', addressArgument)
    .action(
      async (
        opts: ChainOptions & {
          all?: boolean;
          status?: ChainDispute['status'];
          result?: Hex;
          evaluator?: Address;
          disputer?: Address;
        },
      ) => {
        const connection = await connect(opts, false);
        const disputes = await listDisputes(connection, {
          resultId: opts.result,
          evaluator: opts.evaluator,
          disputer: opts.disputer,
          status: opts.status ?? (opts.all ? undefined : 'open'),
        });
        if (out.json()) return out.print(disputes);
        if (disputes.length === 0)
          return console.log(
            `no ${opts.status ? `${opts.status} ` : opts.all ? '' : 'open '}disputes`,
          );
        const now = Number((await connection.public.getBlock()).timestamp);
        for (const d of disputes) {
          const deadline =
            d.status === 'open'
              ? d.lapsesAt > now
                ? `lapses (rejected by default) at ${isoTime(d.lapsesAt)}, in ${formatSeconds(d.lapsesAt - now)}`
                : `lapsed at ${isoTime(d.lapsesAt)}: anyone may resolve it (rejected)`
              : d.status;
          console.log(
            `#${d.disputeId} ${d.status}  result ${d.resultId}  evaluator ${d.evaluator}  disputer ${d.disputer}`,
          );
          console.log(
            `  sample "${d.committed.id}": committed ${describeOutcome(d.committed)}; claimed ${describeOutcome({ ...d.committed, ...d.claimed })} (report ${d.claimed.uri})`,
          );
          console.log(`  bond ${formatAmount(d.bond)}; opened ${isoTime(d.openedAt)}; ${deadline}`);
        }
      },
    );
}

/** Checks that a report the disputer names is of the disputed result's model and suite. */
function ownReport(report: Report, result: ChainResult): Report {
  if (report.model.digest !== result.modelId || report.suite.id !== result.suiteId)
    throw new DisputeInputError(
      `your report is of model ${report.model.digest} and suite ${report.suite.id}, but result ${result.resultId} is of model ${result.modelId} and suite ${result.suiteId}`,
      { resultId: result.resultId },
    );
  return report;
}

/**
 * The disputer's own outcome by re-running the disputed report's suite on the registered model with the
 * report's settings (`verify`), written where `--out` says.
 */
async function rerun(
  connection: CharterConnection,
  report: Report,
  result: ChainResult,
  opts: { model?: string; device?: Device; out?: string },
): Promise<{ report: Report; path: string }> {
  const modelDir = opts.model
    ? userPath(opts.model)
    : await fetchModel(
        await registeredUri(connection, result.modelId),
        result.modelId,
        join(tmpdir(), 'charter-models'),
      );
  const verified = await verifyReport(report, {
    modelDir,
    device: opts.device,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const path = userPath(opts.out ?? `reports/disputes/${verified.rerun.digest}.json`);
  await writeReport(verified.rerun, path);
  return { report: verified.rerun, path };
}

/** Where a model was registered to be fetched from (its ModelRegistered event). */
async function registeredUri(connection: CharterConnection, modelId: Hex): Promise<string> {
  const [registered] = await connection.public.getContractEvents({
    address: connection.deployment.contracts.modelRegistry,
    abi: modelRegistryAbi,
    eventName: 'ModelRegistered',
    args: { modelId },
    fromBlock: BigInt(connection.deployment.deploymentBlock),
  });
  if (!registered?.args.uri)
    throw new DisputeInputError(`model ${modelId} is not registered: pass --model <dir>`, {
      modelId,
    });
  return registered.args.uri;
}

function describeStake(stake: Stake): string {
  const unbonding = stake.unbonding
    ? `; ${formatAmount(stake.unbonding)} unbonding, withdrawable from ${isoTime(stake.unbondingReadyAt)}`
    : '';
  const below =
    stake.bonded < stake.minBond ? ' (below the minimum: its results do not count)' : '';
  return `  ${stake.evaluator}: ${formatAmount(stake.bonded)} bonded of a minimum ${formatAmount(stake.minBond)}${below}${unbonding}`;
}

function describeOutcome(o: Pick<SampleOutcome, 'label' | 'prediction' | 'score'>): string {
  return `label ${o.label} prediction ${o.prediction} score ${formatWad(BigInt(o.score), 6)}`;
}

function formatSeconds(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min ${seconds % 60} s`;
}

function amountArgument(value: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(value) || parseEther(value) === 0n)
    throw new InvalidArgumentError(
      `"${value}" is not an amount of ETH: write it like 1 or 0.25 (more than 0, at most 18 decimals)`,
    );
  return parseEther(value);
}

function hex32Argument(value: string): Hex {
  if (!isHex32(value))
    throw new InvalidArgumentError(`"${value}" is not a 0x-prefixed 32-byte hex id`);
  return value.toLowerCase() as Hex;
}

function addressArgument(value: string): Address {
  if (!isAddress(value)) throw new InvalidArgumentError(`"${value}" is not an address`);
  return value;
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
