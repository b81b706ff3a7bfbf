// `bond`, `unbond`, `withdraw-bond`, `dispute` and `disputes` as a person runs them, against Charter on anvil:
// a liar's result (outcomes altered, metrics and root consistent) disputed with a proof the contract
// accepts, from a re-run on the registered model; and every refusal said before anything is sent.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  evidenceRegistryAbi,
  modelRegistryAbi,
  writeDeployment,
  type Anvil,
  type DevChain,
} from '@charter/contracts';
import { anvilPrivateKey } from '@charter/contracts';
import { parseEther, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ExitCode } from '../errors.js';
import { modelDigest } from '../models/modelDigest.js';
import type { Report } from '../reports/types.js';
import { writeReport } from '../reports/writeReport.js';
import { evaluateModel } from '../run/evaluateModel.js';
import { loadSuite } from '../suites/loadSuite.js';
import { alteredReport } from '../testing/alteredReport.js';
import { startWatcherChain, watcherKeys } from '../testing/watcherChain.js';
import { connectCharter } from './connect.js';
import { OnChainExitCode } from './errors.js';
import { submitResult } from './submitResult.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const V1 = join(ROOT, 'models/mail-guard-v1');
const V2 = join(ROOT, 'models/mail-guard-v2');
const { alice, evaluator: honestKey, liar: liarKey } = watcherKeys;
const strangerKey = anvilPrivateKey(9) as Hex;
const address = (key: Hex) => privateKeyToAccount(key).address;

let anvil: Anvil;
let chain: DevChain;
let deploymentFile: string;
let dir: string;
let honest: Report;
let lie: { report: Report; altered: string[] };
let liarResult: Hex;
let honestResult: Hex;
let mismatchedResult: Hex;

beforeAll(async () => {
  ({ anvil, chain } = await startWatcherChain());
  deploymentFile = writeDeployment(chain.deployment, await mkdtemp(join(tmpdir(), 'deployment-')));
  dir = await mkdtemp(join(tmpdir(), 'disputes-'));
  const suite = await loadSuite('over-blocking');
  honest = await evaluateModel({ suite, modelDir: V1 });
  lie = alteredReport(honest);
  const honestV2 = await evaluateModel({ suite, modelDir: V2 });
  for (const [version, path] of [
    ['v1', V1],
    ['v2', V2],
  ] as const)
    await chain.confirm(
      chain.wallet(alice).writeContract({
        address: chain.deployment.contracts.modelRegistry,
        abi: modelRegistryAbi,
        functionName: 'register',
        args: [
          'mail-guard',
          version,
          await modelDigest(path),
          pathToFileURL(path).href,
          `0x${'0'.repeat(64)}`,
        ],
      }),
    );
  const files = {
    honest: join(dir, 'honest.json'),
    lie: join(dir, 'lie.json'),
    v2: join(dir, 'v2.json'),
  };
  await writeReport(honest, files.honest);
  await writeReport(lie.report, files.lie);
  await writeReport(honestV2, files.v2);
  const as = (key: Hex) =>
    connectCharter({ rpcUrl: anvil.rpcUrl, deployment: chain.deployment, privateKey: key });
  liarResult = (await submitResult(as(liarKey), lie.report, pathToFileURL(files.lie).href))
    .resultId;
  honestResult = (await submitResult(as(honestKey), honest, pathToFileURL(files.honest).href))
    .resultId;
  // A result whose URI serves another report than the one it commits to.
  mismatchedResult = (await submitResult(as(liarKey), honestV2, pathToFileURL(files.honest).href))
    .resultId;
}, 300_000);
afterAll(() => anvil?.stop());

async function cli(key: Hex | undefined, ...args: string[]) {
  const env = { ...process.env };
  delete env.EVALUATOR_PRIVATE_KEY;
  const chainArgs = ['--rpc-url', anvil.rpcUrl, '--deployment', deploymentFile];
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'bin/charter-eval.js'),
        ...args,
        ...chainArgs,
        ...(key ? ['--private-key', key] : []),
      ],
      { cwd: dir, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const disputeEvents = () =>
  chain.public.getContractEvents({
    address: chain.deployment.contracts.evidenceRegistry,
    abi: evidenceRegistryAbi,
    eventName: 'ResultDisputed',
    fromBlock: 0n,
  });

describe('bond, unbond, withdraw-bond', () => {
  it('bonds, unbonds and refuses what the chain would refuse, sending nothing', async () => {
    const bonded = await cli(honestKey, 'bond', '1.5');
    expect(bonded.stderr).toBe('');
    expect(bonded.code).toBe(0);
    expect(bonded.stdout).toMatch(/^bonded 1\.5 ETH \(tx 0x[0-9a-f]{64}\)/);
    expect(bonded.stdout).toContain(`${address(honestKey)}: 1.5 ETH bonded of a minimum`);

    const unbonded = await cli(honestKey, '--json', 'unbond', '0.5');
    expect(unbonded.code).toBe(0);
    const { stake } = JSON.parse(unbonded.stdout) as {
      stake: { bonded: string; unbonding: string; unbondingReadyAt: number };
    };
    expect(stake.bonded).toBe(parseEther('1').toString());
    expect(stake.unbonding).toBe(parseEther('0.5').toString());

    const nonce = await chain.public.getTransactionCount({ address: address(honestKey) });
    const early = await cli(honestKey, 'withdraw-bond');
    expect(early.code).toBe(OnChainExitCode.Refused);
    expect(early.stderr).toMatch(
      /the 0\.5 ETH unbonding can be withdrawn from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    const tooMuch = await cli(honestKey, 'unbond', '7');
    expect(tooMuch.code).toBe(OnChainExitCode.Refused);
    expect(tooMuch.stderr).toContain('cannot unbond 7 ETH: ');
    const stranger = await cli(strangerKey, 'bond', '1');
    expect(stranger.code).toBe(OnChainExitCode.Refused);
    expect(stranger.stderr).toMatch(
      /is not an admitted evaluator .* only admitted evaluators bond/,
    );
    expect(await chain.public.getTransactionCount({ address: address(honestKey) })).toBe(nonce);

    const bad = await cli(honestKey, 'bond', 'lots');
    expect(bad.code).toBe(ExitCode.BadInput);
    expect(bad.stderr).toContain('"lots" is not an amount of ETH');
    expect((await cli(undefined, 'bond', '1')).stderr).toContain('needs --private-key');
  }, 60_000);
});

describe('dispute and disputes', () => {
  it('refuses bad input, naming what was wrong', async () => {
    const unknown = await cli(
      honestKey,
      'dispute',
      liarResult,
      '--sample',
      'no-such-sample',
      '--report',
      join(dir, 'honest.json'),
    );
    expect(unknown.code, unknown.stderr).toBe(ExitCode.BadInput);
    expect(unknown.stderr).toContain('unknown sample "no-such-sample"');

    const missing = await cli(honestKey, 'dispute', `0x${'12'.repeat(32)}`);
    expect(missing.code).toBe(ExitCode.BadInput);
    expect(missing.stderr).toContain(`no result 0x${'12'.repeat(32)} was posted`);

    const malformed = await cli(honestKey, 'dispute', '0x1234');
    expect(malformed.code).toBe(ExitCode.BadInput);
    expect(malformed.stderr).toContain('"0x1234" is not a 0x-prefixed 32-byte hex id');

    // The report its URI serves is not the one the result commits to.
    const wrong = await cli(
      honestKey,
      'dispute',
      mismatchedResult,
      '--report',
      join(dir, 'honest.json'),
    );
    expect(wrong.code).toBe(ExitCode.Integrity);
    expect(wrong.stderr).toMatch(
      /is not the one result 0x\w+ commits to: its digest is 0x\w+, but the chain records 0x\w+/,
    );

    // An honest result: the disputer's own report agrees on every sample.
    const agrees = await cli(
      liarKey,
      'dispute',
      honestResult,
      '--report',
      join(dir, 'honest.json'),
    );
    expect(agrees.code).toBe(ExitCode.BadInput);
    expect(agrees.stderr).toMatch(/your outcome reproduces result .*nothing to dispute/);

    const own = await cli(honestKey, 'dispute', honestResult, '--report', join(dir, 'honest.json'));
    expect(own.code).toBe(OnChainExitCode.Refused);
    expect(own.stderr).toContain('is your own');
    expect(await disputeEvents()).toHaveLength(0);
  }, 120_000);

  it("disputes a liar's result from a re-run, with a proof the contract accepts, once", async () => {
    const out = join(dir, 'mine.json');
    const disputed = await cli(strangerKey, 'dispute', liarResult, '--out', out, '--device', 'cpu');
    expect(disputed.code, disputed.stderr).toBe(0);
    const [first] = lie.altered;
    expect(disputed.stdout).toContain(
      `disputed result ${liarResult}, sample "${first}": dispute #1`,
    );
    expect(disputed.stdout).toMatch(/bond 0\.1 ETH; .* rejected by default at \d{4}-/);

    const [event] = await disputeEvents();
    expect(event?.args).toMatchObject({
      disputeId: 1n,
      resultId: liarResult,
      disputer: address(strangerKey),
      evaluator: address(liarKey),
      reportDigest: lie.report.digest,
    });
    const committed = lie.report.samples.find((s) => s.id === first)!;
    const truth = honest.samples.find((s) => s.id === first)!;
    expect(event?.args.committed).toMatchObject({
      id: first,
      prediction: BigInt(committed.prediction),
    });
    expect(event?.args.claim).toMatchObject({
      prediction: BigInt(truth.prediction),
      score: BigInt(truth.score),
      uri: pathToFileURL(out).href,
    });

    const listed = await cli(undefined, 'disputes');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`#1 open  result ${liarResult}`);
    expect(listed.stdout).toMatch(/lapses \(rejected by default\) at .*, in \d+ d/);
    const json = JSON.parse(
      (await cli(undefined, '--json', 'disputes', '--evaluator', address(liarKey))).stdout,
    ) as { disputeId: string; committed: { id: string } }[];
    expect(json.map((d) => [d.disputeId, d.committed.id])).toEqual([['1', first]]);
    expect((await cli(undefined, 'disputes', '--disputer', address(honestKey))).stdout).toBe(
      'no open disputes\n',
    );

    const again = await cli(strangerKey, 'dispute', liarResult, '--report', out);
    expect(again.code).toBe(OnChainExitCode.Refused);
    expect(again.stderr).toContain('you already dispute this version');
    expect(await disputeEvents()).toHaveLength(1);
  }, 180_000);

  it('refuses once the challenge window has closed, saying when', async () => {
    await chain.passChallengeWindow();
    const closed = await cli(
      strangerKey,
      'dispute',
      honestResult,
      '--report',
      join(dir, 'lie.json'),
    );
    expect(closed.code).toBe(OnChainExitCode.Refused);
    expect(closed.stderr).toMatch(
      /the challenge window of result 0x\w+ closed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    expect(await disputeEvents()).toHaveLength(1);
  }, 60_000);

  it("pays a lapsed dispute's bond to the evaluator as a credit anyone can pay out", async () => {
    const game = await chain.gameParameters();
    await chain.advanceTime(game.resolutionTimeout + 1);
    await chain.send(strangerKey, {
      address: chain.deployment.contracts.evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'resolveLapsedDispute',
      args: [1n],
    });
    const rejected = await cli(undefined, 'disputes', '--status', 'rejected');
    expect(rejected.stdout).toContain(`#1 rejected  result ${liarResult}`);
    expect((await cli(undefined, 'disputes')).stdout).toBe('no open disputes\n');

    const none = await cli(strangerKey, 'withdraw-credit');
    expect(none.code).toBe(OnChainExitCode.Refused);
    expect(none.stderr).toContain(`${address(strangerKey)} has no credit to withdraw`);
    const before = await chain.public.getBalance({ address: address(liarKey) });
    const paid = await cli(strangerKey, 'withdraw-credit', address(liarKey));
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout).toContain(`paid 0.1 ETH to ${address(liarKey)}`);
    expect((await chain.public.getBalance({ address: address(liarKey) })) - before).toBe(
      game.disputeBond,
    );
  }, 60_000);
});
