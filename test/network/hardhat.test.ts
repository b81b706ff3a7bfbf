// Charter on a second node implementation: Hardhat's node from npm, mining a block a second (automine off)
// under a chain id that is not a dev chain's. Everything goes through what a person would use on a real
// network (the deploy CLI, the indexer on PostgreSQL, the evaluator's CLI) and governance moves time with
// `evm_increaseTime` + `evm_mine` only: Hardhat answers no `anvil_*` method, so any left would fail here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DevChain, freePort, loadDeployment, type Anvil } from '@charter/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startHardhatNode } from '../../contracts/ts/hardhatNode';
import { createTestDatabase, type TestDatabase } from '../../indexer/src/testing/testDatabase';
import { privateKeyToAccount } from 'viem/accounts';

import { demoAccounts, seedDemoDao } from '../../stack/src/demoDao';
import { run, start, type Running } from '../readme/shell';

const CHAIN_ID = 424_242;
const SUITES = ['spam-detection', 'over-blocking', 'robustness'] as const;

let node: Anvil;
let scratch: string;
let database: TestDatabase | undefined;
let indexer: Running | undefined;

beforeAll(async () => {
  node = await startHardhatNode({ chainId: CHAIN_ID, blockIntervalMs: 1_000 });
  scratch = mkdtempSync(join(tmpdir(), 'charter-network-'));
});
afterAll(async () => {
  await indexer?.stop(5_000);
  await database?.drop();
  await node?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs a command at the repository root and expects it to succeed. */
async function succeeds(command: string, timeoutMs = 120_000): Promise<string> {
  const result = await run(command, {}, timeoutMs);
  expect(result.code, result.output).toBe(0);
  return result.stdout;
}

it('deploys, indexes, evaluates, governs and checks a model on Hardhat with 1 s blocks', async () => {
  const rpc = node.rpcUrl;
  const { deployer, holders, evaluators } = demoAccounts;
  const one = evaluators['evaluator one'];
  const two = evaluators['evaluator two'];

  // Not a local chain: the deploy refuses to run without a guardian, then deploys with the security
  // council as guardian, warning that it is one key (an account without code) rather than a contract.
  const deploy = `npm run deploy -- --rpc-url ${rpc} --private-key ${deployer} --out ${scratch}/deployments`;
  const refused = await run(deploy, {}, 120_000);
  expect(refused.code).toBe(1);
  expect(refused.output).toMatch(/no proposal guardian is configured.*--allow-weak-guardian/);
  const council = privateKeyToAccount(demoAccounts.securityCouncil).address;
  writeFileSync(join(scratch, 'governance.json'), JSON.stringify({ proposalGuardian: council }));
  const deployed = await run(`${deploy} --config ${scratch}/governance.json`, {}, 120_000);
  expect(deployed.code, deployed.output).toBe(0);
  expect(deployed.stdout).toMatch(new RegExp(`deployed Charter to chain ${CHAIN_ID}`));
  expect(deployed.output).toMatch(
    new RegExp(`WARNING: the proposal guardian ${council} is an account without code`),
  );
  const file = join(scratch, 'deployments', `${CHAIN_ID}.json`);
  const deployment = loadDeployment(file);
  expect(deployment.chainId).toBe(CHAIN_ID);
  const onChain = `--rpc-url ${rpc} --deployment ${file}`;

  // The indexer on a fresh PostgreSQL database follows the chain from the deployment on.
  database = await createTestDatabase('postgres');
  const indexerUrl = `http://127.0.0.1:${await freePort()}`;
  indexer = start(
    `npm run start -w indexer -- ${onChain} --database-url ${database.options.databaseUrl!} --port ${new URL(indexerUrl).port}`,
  );

  // The evaluation runs while governance registers the suites, admits two evaluators and sets the policy.
  const reports = join(scratch, 'reports');
  const evaluation = run(
    `npm run start -w evaluator -- run ${SUITES.join(' ')} --model evaluator/models/mail-guard-v2 --out ${reports}`,
    {},
    240_000,
  );
  const chain = new DevChain(rpc, deployment);
  const demo = await seedDemoDao(chain, () => {});
  const evaluated = await evaluation;
  expect(evaluated.code, evaluated.output).toBe(0);

  // The policy asks for two evaluators: one submits itself, the other signs and a relayer pays the gas.
  const report = (suite: string) => `${reports}/mail-guard-v2/${suite}.json`;
  const uri = (suite: string) => `https://reports.example/mail-guard-v2/${suite}.json`;
  const submit = (key: string, suite: string, extra = '') =>
    succeeds(
      `npm run start -w evaluator -- submit ${report(suite)} --uri ${uri(suite)} ${extra} ${onChain} --private-key ${key}`,
    );
  const byOne = (async () => {
    for (const suite of SUITES) expect(await submit(one, suite)).toMatch(/^submitted /m);
  })();
  const byTwo = (async () => {
    const signed = join(scratch, 'signed.json');
    await submit(two, SUITES[0], `--sign-only --out ${signed}`);
    expect(
      await succeeds(
        `npm run start -w evaluator -- relay ${signed} ${onChain} --private-key ${deployer}`,
      ),
    ).toMatch(/relayed the result of/);
    for (const suite of SUITES.slice(1)) expect(await submit(two, suite)).toMatch(/^submitted /m);
  })();
  await Promise.all([byOne, byTwo]);

  // Before the vote passes the artifact is a candidate: `check` refuses it (exit 6).
  const check = `npm run start -w evaluator -- check evaluator/models/mail-guard-v2 ${onChain}`;
  expect((await run(check, {}, 60_000)).code).toBe(6);

  for (const voter of [holders.alice, holders.bob]) {
    await chain.vote(voter, demo.approvalProposalId, 1);
  }
  await chain.closeVoting(demo.approvalProposalId);
  await chain.queue(holders.alice, demo.approvalActions, demo.approvalDescription);
  await chain.execute(holders.alice, demo.approvalActions, demo.approvalDescription);

  await succeeds(check, 60_000);

  // The indexer saw it all: the approved model and the six results.
  await expect
    .poll(
      async () => {
        const response = await fetch(`${indexerUrl}/models/${demo.models.v2}`).catch(() => null);
        return response?.ok ? ((await response.json()) as { status?: string }).status : undefined;
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe('approved');
  const results = await fetch(`${indexerUrl}/results?model=${demo.models.v2}`);
  expect(((await results.json()) as { items: unknown[] }).items).toHaveLength(6);
}, 300_000);
