// The README walk-through: every command the READMEs show is either run here, as written (a documented
// placeholder such as URL or KEY replaced by a local anvil's), or listed with the reason it cannot run here.
// A README command missing from `exercised` fails the first test, so a new one must be covered; an entry no
// README shows any more fails it too.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

import { anvilPrivateKey, charterGovernorAbi, loadDeployment } from '@charter/contracts';
import { devAccountNames } from '@charter/contracts/dev-accounts';
import { createPublicClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, type TestDatabase } from '../../indexer/src/testing/testDatabase';
import { startHardhatNode } from '../../contracts/ts/hardhatNode';
import { ROOT } from '../../stack/src/config';
import { freePorts } from '../../stack/src/supervisor';
import { allReadmeCommands } from './readmeCommands';
import { run, start, type Running } from './shell';

/** How a README command is exercised. */
type Exercise =
  /** Run by the test of that name, below. */
  | { run: string }
  /** Run by `npm test` itself: the text must appear in the root `test` chain (scripts expanded). */
  | { npmTest: string }
  /** Not run here, and why. */
  | { skip: string };

const EVALUATOR = 'the evaluator, offline';
const CHAIN = 'deploys, the indexer, the web app and npm start on an existing chain';
const DEMO = 'npm start: the demo DAO, a restart, and the consumer check';
const WEB_STACK = "the web app's test stack";
const SEVERAL_WEB_SERVERS =
  'a sketch of a deployment on several hosts (indexer.internal, a real chain, nginx in front); the indexer line above it and the built web server (`node web/build/index.js`, what npm start runs) are run';
const BENCH = 'a benchmark: minutes of every core, and it rewrites BENCHMARKS.md; run on purpose';

export const exercised: Record<string, Exercise> = {
  // README.md
  'npm ci': { skip: "CI's first step (.ci/run), before the `npm test` that runs this" },
  'npm start': { run: DEMO },
  'npm test': { skip: 'the command running this test' },
  'npm start -- --fresh': { run: DEMO },
  'npm run start -w evaluator -- check evaluator/models/mail-guard-v2': { run: DEMO },
  'npm run deploy -- --rpc-url URL --private-key KEY --config governance.json': { run: CHAIN },
  'npm run deploy -- --rpc-url https://rpc.example.org --private-key 0x… [--config governance.json]':
    { run: CHAIN },
  'npm start -- --rpc-url URL --deployment deployments/<chainId>.json': { run: CHAIN },
  'charter-eval run … --device cuda': {
    skip: 'an elision (…), for a CUDA host; `--device webgpu`, the other GPU path, is run',
  },
  'npm run check': { npmTest: 'npm run check' },
  'npm run test:readme': { npmTest: 'npm run test:readme' },
  'npm run screenshots': { skip: 'rewrites the committed screenshots: run on purpose' },
  'npm run bench': { skip: BENCH },
  // contracts/README.md
  'npm run build -w contracts': { npmTest: 'npm run build -w contracts' },
  'npm run deploy -- --rpc-url URL [--private-key KEY] [--config config.json] [--out DIR]': {
    run: CHAIN,
  },
  'npm run bench -w contracts': { skip: BENCH },
  'npm run check -w contracts': { npmTest: 'npm run check --workspaces' },
  'forge test': { npmTest: 'forge test' },
  'npm run deploy': { run: CHAIN },
  // evaluator/README.md
  'npm run start -w evaluator -- suites': { run: EVALUATOR },
  'npm run start -w evaluator -- digest evaluator/models/mail-guard-v2': { run: EVALUATOR },
  'npm run start -w evaluator -- run spam-detection over-blocking robustness --model evaluator/models/mail-guard-v2':
    { run: EVALUATOR },
  'npm run start -w evaluator -- verify reports/mail-guard-v2/spam-detection.json': {
    run: EVALUATOR,
  },
  'npm test -w evaluator': { npmTest: 'npm run test --workspaces' },
  'npm run bench -w evaluator': { skip: BENCH },
  'npm run train -w evaluator': {
    skip: 'rewrites the committed models (the same bytes); `npm run check:models -w evaluator` proves that',
  },
  'npm run check:models -w evaluator': { run: EVALUATOR },
  'npm run check:models': { skip: 'prose shorthand of `npm run check:models -w evaluator`' },
  'npm_config_onnxruntime_node_install=cuda12 npm rebuild onnxruntime-node': {
    skip: 'fetches the CUDA provider from outside the npm registry; for a CUDA host',
  },
  'vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000': {
    skip: 'a GPU host; the test serves the OpenAI-compatible API itself for the next command',
  },
  'npm run start -w evaluator -- run mail-safety-refusals --server http://gpu-host:8000 --served-model Qwen/Qwen2.5-7B-Instruct --model-digest 0x<digest of the served weights>':
    { run: EVALUATOR },
  'npm run -w': { skip: 'a fragment in prose ("`npm run -w` runs the script inside evaluator/")' },
  'npm run start -w evaluator -- check evaluator/models/mail-guard-v1 --policy mail-safety': {
    run: DEMO,
  },
  'charter-eval': { skip: "the bin's name in prose" },
  'npm run hash:suites -w evaluator [suite.json...]': { run: EVALUATOR },
  'export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=$(mktemp -d)':
    {
      run: EVALUATOR,
    },
  'npm run start -w evaluator -- run over-blocking --model evaluator/models/mail-guard-v2 --device webgpu':
    { run: EVALUATOR },
  'evaluator/scripts/gpu-check.sh bundle --with-node --tar': {
    skip: 'packs a self-contained copy for a GPU machine (tens of MB, minutes); nothing to check here',
  },
  'tar xJf .gpu-check.tar.xz && .gpu-check/gpu-check.sh': { skip: 'runs on the GPU machine' },
  'charter-eval digest <dir> --manifest': { run: EVALUATOR },
  'npm run start -w evaluator -- bond 1 --private-key KEY': {
    skip: 'run as the CLI on anvil by evaluator/src/onchain/disputes.test.ts (bond, unbond, withdraw-bond)',
  },
  'npm run start -w evaluator -- disputes': {
    skip: "run as the CLI on anvil by evaluator/src/onchain/disputes.test.ts, after a liar's result is disputed",
  },
  'npm run start -w evaluator -- dispute 0x<result id> --private-key KEY': {
    skip: "run as the CLI on anvil by evaluator/src/onchain/disputes.test.ts: a liar's result, a real re-run",
  },
  // examples/guarded-classifier/README.md
  'npx tsx examples/guarded-classifier/server.ts': {
    skip: 'run (node --import tsx, the same file) by evaluator/src/guard/loadGuardedModel.test.ts against anvil and an indexer, with v2 approved',
  },
  'curl -s -X POST localhost:8787/classify -d \'{"text":"WIN a FREE prize, click now"}\'': {
    skip: 'the same POST /classify is sent to the server by evaluator/src/guard/loadGuardedModel.test.ts (on a free port)',
  },
  // indexer/README.md
  'npm run start -w indexer -- --rpc-url http://127.0.0.1:8545 --deployment deployments/31337.json':
    { run: CHAIN },
  'npm run start -w indexer -- --rpc-url $RPC --deployment 1 --database-url postgres://…/charter --port 8080':
    { run: CHAIN },
  'curl -s localhost:42069/ready': { run: CHAIN },
  'npm run bench:load -w indexer': { skip: BENCH },
  'npm test -w indexer': { npmTest: 'npm run test --workspaces' },
  // relayer/README.md
  'npm run bench -w relayer': { skip: BENCH },
  'RELAYER_PRIVATE_KEY=0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97 npm run start -w relayer -- --rpc-url http://127.0.0.1:8545 --deployment deployments/31337.json':
    { run: CHAIN },
  'curl -s localhost:42070/status': { run: CHAIN },
  'npm run start -w relayer': {
    skip: 'prose shorthand of the relayer command above, which is run',
  },
  'npm run start -w relayer -- --help': { run: CHAIN },
  'npm test -w relayer': { npmTest: 'npm run test --workspaces' },
  // notifier/README.md
  'npm run bench -w notifier': { skip: BENCH },
  'npm run start -w notifier -- --rpc-url http://127.0.0.1:8545 --deployment deployments/31337.json --public-url http://localhost:5173':
    { run: CHAIN },
  'curl -s localhost:42071/ready': { run: CHAIN },
  'curl -s localhost:42071/feeds/dao.atom': { run: CHAIN },
  'npm run start -w notifier -- --help': { run: CHAIN },
  'npm test -w notifier': { npmTest: 'npm run test --workspaces' },
  // web/README.md
  'for port in 3001 3002 3003; do': { skip: SEVERAL_WEB_SERVERS },
  'PORT=$port ORIGIN=https://charter.example CHARTER_INDEXER_URL=http://indexer.internal:8080 CHARTER_RPC_URL=$RPC CHARTER_CHAIN_ID=1 node web/build/index.js &':
    { skip: SEVERAL_WEB_SERVERS },
  done: { skip: SEVERAL_WEB_SERVERS },
  'npm run build -w web': { skip: "run by `npm test` (web's test:e2e) and `npm ci` (postinstall)" },
  'CHARTER_INDEXER_URL=http://127.0.0.1:42069 CHARTER_RPC_URL=http://127.0.0.1:8545 npm start -w web':
    { run: CHAIN },
  'npm run dev -w web': { run: CHAIN },
  'npm run check -w web': { npmTest: 'npm run check --workspaces' },
  'npm run test:unit -w web': { npmTest: 'npm run test --workspaces' },
  'npm run test:e2e -w web': { npmTest: 'npm run test --workspaces' },
  'npm test -w web': { npmTest: 'npm run test --workspaces' },
  'npm run bench -w web': { skip: BENCH },
  'npm run screenshots -w web': { skip: 'rewrites the committed screenshots: run on purpose' },
  'npx tsx web/tests/e2e/stack.ts': { run: WEB_STACK },
  // stack/README.md
  'npm ci && npm start': { skip: "`npm ci` is CI's first step; `npm start` is run" },
  'npm start -- --help': { run: DEMO },
  'DATABASE_URL=postgres://user@db-host:5432/charter npm start -- --rpc-url https://rpc.example --deployment deployments/11155111.json --port 3000':
    { run: CHAIN },
  'npm start -- --rpc-url https://rpc.example --deployment deployments/11155111.json --confirmations 3 --poll-interval 6000 --max-block-range 2000':
    { run: CHAIN },
  'npm run build -w stack': {
    skip: "`npm ci`'s postinstall; `npm start` runs the same step first",
  },
  'npm run test:e2e -w stack': { npmTest: 'npm run test --workspaces' },
  'npm test -w stack': { npmTest: 'npm run test --workspaces' },
};

const shownCommands = allReadmeCommands(ROOT);

const ranTests = new Set<string>();
const ranCommands = new Set<string>();

/** The README command, checked to be shown and listed to be run by this test. */
function shown(command: string, test: string): string {
  ranTests.add(test);
  ranCommands.add(command);
  expect(
    shownCommands.map((c) => c.command),
    `no README shows: ${command}`,
  ).toContain(command);
  expect(exercised[command]).toEqual({ run: test });
  return command;
}

/** `command` with each placeholder replaced; each must occur in it. */
function fill(command: string, replacements: [string, string][]): string {
  let filled = command;
  for (const [placeholder, value] of replacements) {
    expect(filled, `placeholder ${placeholder}`).toContain(placeholder);
    filled = filled.replaceAll(placeholder, value);
  }
  return filled;
}

/** Whether nothing listens on the port (a connection is refused). */
function refused(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      ok(false);
    });
    socket.once('error', () => ok(true));
  });
}

/** Polls `url` until it answers 200; returns the body. */
async function answered(url: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      if (response.ok) return body;
      last = `${response.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s: ${last}`);
}

// Scratch files live under an ignored folder of the repository, so that a relative path to them is one
// a user could type at the root.
const scratch = join(ROOT, 'node_modules/.cache', `charter-readme-${process.pid}`);
const scratchRel = relative(ROOT, scratch);
const running = new Set<Running>();
function started(command: string, env: Record<string, string> = {}): Running {
  const child = start(command, env);
  running.add(child);
  return child;
}
async function stopped(child: Running) {
  running.delete(child);
  return child.stop();
}

beforeAll(() => mkdirSync(scratch, { recursive: true }));
afterAll(async () => {
  await Promise.all([...running].map((child) => child.stop(5_000)));
  rmSync(scratch, { recursive: true, force: true });
});

describe('README commands', () => {
  it('are each run here or listed with the reason they cannot be', () => {
    const commands = new Set(shownCommands.map((c) => c.command));
    const uncovered = shownCommands.filter((c) => !exercised[c.command]);
    expect(
      uncovered.map((c) => `${c.readme}: ${c.command}`),
      'README commands this test neither runs nor explains: add each to `exercised`',
    ).toEqual([]);
    expect(
      Object.keys(exercised).filter((command) => !commands.has(command)),
      'entries no README shows any more',
    ).toEqual([]);

    // What `npm test` runs: the root test script, its root scripts expanded.
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const expand = (script: string, depth = 0): string =>
      depth > 4
        ? script
        : script.replace(/npm run ([\w:-]+)(?= |$|&)/g, (whole, name: string) =>
            scripts[name] ? `${whole} (${expand(scripts[name], depth + 1)})` : whole,
          );
    const chain = expand(scripts.test!);
    for (const [command, how] of Object.entries(exercised)) {
      if ('npmTest' in how) expect(chain, `${command} by npm test`).toContain(how.npmTest);
    }
  });
});

describe.sequential('README walk-through', () => {
  it(
    DEMO,
    async () => {
      const [web, indexer, anvil, relayer, notifier] = await freePorts(5);
      const dataDir = join(scratch, 'demo');
      const env = {
        CHARTER_DATA_DIR: dataDir,
        PORT: String(web),
        INDEXER_PORT: String(indexer),
        ANVIL_PORT: String(anvil),
        RELAYER_PORT: String(relayer),
        NOTIFIER_PORT: String(notifier),
      };

      const help = await run(shown('npm start -- --help', DEMO), env);
      expect(help.code, help.output).toBe(0);
      expect(help.output).toContain('--rpc-url URL');

      let stack = started(shown('npm start -- --fresh', DEMO), env);
      const [, url] = await stack.waitFor(/Charter is ready in [\d.]+ s: (\S+)/, 300_000);
      expect(url).toBe(`http://127.0.0.1:${web}`);
      expect(await answered(url!, 30_000)).toContain('Charter');
      // The dev accounts by the names the web app's picker shows.
      for (const name of [
        'alice',
        'bob',
        'carol',
        'dave',
        'erin',
        'evaluator one',
        'evaluator two',
        'security council',
      ]) {
        const address = privateKeyToAccount(
          anvilPrivateKey(devAccountNames.indexOf(name as never)),
        ).address;
        expect(stack.output()).toMatch(new RegExp(`^ +${name} +${address}`, 'm'));
      }

      // The consumer's question, as the README asks it, right after start-up: the demo proposal has not
      // executed yet, so mail-guard v2 is a registered candidate, not approved (exit 6). The evaluator finds
      // the demo's deployment in the data directory by itself; the repository's deployments/ is pointed at
      // an empty folder, so that a local deployments/31337.json of the developer's cannot stand in for it.
      const checkEnv = {
        CHARTER_DATA_DIR: dataDir,
        CHARTER_DEPLOYMENTS: join(scratch, 'no-deployments'),
        RPC_URL: `http://127.0.0.1:${anvil}`,
      };
      const check = await run(
        shown('npm run start -w evaluator -- check evaluator/models/mail-guard-v2', DEMO),
        checkEnv,
      );
      expect(check.output).toMatch(/candidate/i);
      expect(check.code, check.output).toBe(6);
      // v1 against the demo's policy: refused, and the rule that fails named by its number from 1.
      const policy = await run(
        shown(
          'npm run start -w evaluator -- check evaluator/models/mail-guard-v1 --policy mail-safety',
          DEMO,
        ),
        checkEnv,
      );
      expect(policy.output).toMatch(/mail-safety/);
      expect(policy.output).toMatch(/Rule 1\b/);
      expect(policy.code, policy.output).toBe(6);

      // Ctrl-C stops every part: nothing answers on the stack's ports any more. A restart (on other ports,
      // which a busy machine may have handed out meanwhile) finds the chain and the demo DAO where they were.
      await stopped(stack);
      for (const port of [web, indexer, anvil, relayer, notifier]) {
        await expect
          .poll(() => refused(port!), { timeout: 15_000, message: `port ${port}` })
          .toBe(true);
      }
      const [web2, indexer2, anvil2, relayer2, notifier2] = await freePorts(5);
      stack = started(shown('npm start', DEMO), {
        ...env,
        PORT: String(web2),
        INDEXER_PORT: String(indexer2),
        ANVIL_PORT: String(anvil2),
        RELAYER_PORT: String(relayer2),
        NOTIFIER_PORT: String(notifier2),
      });
      await stack.waitFor(/Charter is ready in/, 180_000);
      expect(stack.output()).toContain('found the deployment and demo DAO from the last run');
      await stopped(stack);
    },
    600_000,
  );

  it(
    CHAIN,
    async () => {
      // A chain that is not the demo's, as a stand-in for a real network: Hardhat's node (the second node
      // implementation), mining a block a second rather than one per transaction, so the production commands
      // (deploy, the indexer, npm start --rpc-url) run on neither anvil nor its instant blocks.
      const chain = await startHardhatNode({ chainId: 31337, blockIntervalMs: 1_000 });
      const rpc = chain.rpcUrl;
      const key = anvilPrivateKey(0);
      const databases: TestDatabase[] = [];
      const file = join(ROOT, 'deployments/31337.json');
      const before = existsSync(file) ? readFileSync(file) : undefined;
      try {
        // contracts/README.md's example configuration, at a path relative to the root.
        writeFileSync(
          join(scratch, 'governance.json'),
          '{ "votingPeriod": 604800, "quorumPercent": 4, "proposalThreshold": "10000000000000000000000" }\n',
        );
        const config = `${scratchRel}/governance.json`;
        // Each deploy is a new Charter: a deployments file already there is moved away first, as the deploy
        // command asks (it resumes, rather than replaces, what a file records).
        const deployed = async (command: string, env: Record<string, string> = {}) => {
          rmSync(file, { force: true });
          const result = await run(command, env, 180_000);
          expect(result.code, result.output).toBe(0);
          expect(result.output).toMatch(/deployed Charter to chain 31337/);
          return result;
        };
        await deployed(
          fill(shown('npm run deploy', CHAIN), []),
          { RPC_URL: rpc }, // the deploy script's documented default for --rpc-url
        );
        await deployed(
          fill(
            shown(
              'npm run deploy -- --rpc-url URL [--private-key KEY] [--config config.json] [--out DIR]',
              CHAIN,
            ),
            [
              ['URL', rpc],
              ['[--private-key KEY]', `--private-key ${key}`],
              ['[--config config.json]', `--config ${config}`],
              ['[--out DIR]', `--out ${scratchRel}/out`],
            ],
          ),
        );
        expect(loadDeployment(join(scratch, 'out/31337.json')).chainId).toBe(31337);
        await deployed(
          fill(
            shown(
              'npm run deploy -- --rpc-url https://rpc.example.org --private-key 0x… [--config governance.json]',
              CHAIN,
            ),
            [
              ['https://rpc.example.org', rpc],
              ['0x…', key],
              ['[--config governance.json]', `--config ${config}`],
            ],
          ),
        );
        await deployed(
          fill(
            shown(
              'npm run deploy -- --rpc-url URL --private-key KEY --config governance.json',
              CHAIN,
            ),
            [
              ['URL', rpc],
              ['KEY', key],
              ['governance.json', config],
            ],
          ),
        );
        // The last deployment is the repository's deployments/31337.json, with the configured period.
        const deployment = loadDeployment(file);
        const client = createPublicClient({ transport: http(rpc) });
        expect(
          await client.readContract({
            address: deployment.contracts.governor,
            abi: charterGovernorAbi,
            functionName: 'votingPeriod',
          }),
        ).toBe(604_800n);

        // The indexer alone, on PGlite, then the web app alone against it.
        const [
          indexerPort,
          webPort,
          pgPort,
          stackWeb,
          stackIndexer,
          pgWeb,
          pgIndexer,
          stackNotifier,
        ] = await freePorts(8);
        const indexer = started(
          fill(
            shown(
              'npm run start -w indexer -- --rpc-url http://127.0.0.1:8545 --deployment deployments/31337.json',
              CHAIN,
            ),
            [['http://127.0.0.1:8545', rpc]],
          ),
          { INDEXER_PORT: String(indexerPort), INDEXER_DATA_DIR: join(scratch, 'indexer') },
        );
        const curl = fill(shown('curl -s localhost:42069/ready', CHAIN), [
          ['42069', String(indexerPort)],
        ]);
        await expect
          .poll(async () => (await run(curl, {}, 10_000, { quiet: true })).stdout, {
            timeout: 120_000,
            interval: 1_000,
          })
          .toMatch(/"ready":\s*true/);
        const indexerUrl = `http://127.0.0.1:${indexerPort}`;

        // The relayer and the notifier alone, on the same chain, each as its README shows.
        const [relayerPort, notifierPort] = await freePorts(2);
        const relayerHelp = await run(shown('npm run start -w relayer -- --help', CHAIN), {});
        expect(relayerHelp.code, relayerHelp.output).toBe(0);
        const relayer = started(
          fill(
            shown(
              'RELAYER_PRIVATE_KEY=0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97 npm run start -w relayer -- --rpc-url http://127.0.0.1:8545 --deployment deployments/31337.json',
              CHAIN,
            ),
            [['http://127.0.0.1:8545', rpc]],
          ),
          { RELAYER_PORT: String(relayerPort), RELAYER_DATA_DIR: join(scratch, 'relayer') },
        );
        const relayerStatus = fill(shown('curl -s localhost:42070/status', CHAIN), [
          ['42070', String(relayerPort)],
        ]);
        await expect
          .poll(async () => (await run(relayerStatus, {}, 10_000, { quiet: true })).stdout, {
            timeout: 120_000,
            interval: 1_000,
          })
          .toContain(privateKeyToAccount(anvilPrivateKey(8)).address.toLowerCase());
        await stopped(relayer);

        const notifierHelp = await run(shown('npm run start -w notifier -- --help', CHAIN), {});
        expect(notifierHelp.code, notifierHelp.output).toBe(0);
        const notifier = started(
          fill(
            shown(
              'npm run start -w notifier -- --rpc-url http://127.0.0.1:8545 --deployment deployments/31337.json --public-url http://localhost:5173',
              CHAIN,
            ),
            [['http://127.0.0.1:8545', rpc]],
          ),
          { NOTIFIER_PORT: String(notifierPort), NOTIFIER_DATA_DIR: join(scratch, 'notifier') },
        );
        const notifierReady = fill(shown('curl -s localhost:42071/ready', CHAIN), [
          ['42071', String(notifierPort)],
        ]);
        await expect
          .poll(async () => (await run(notifierReady, {}, 10_000, { quiet: true })).stdout, {
            timeout: 120_000,
            interval: 1_000,
          })
          .toMatch(/"ready":\s*true/);
        const feed = await run(
          fill(shown('curl -s localhost:42071/feeds/dao.atom', CHAIN), [
            ['42071', String(notifierPort)],
          ]),
          {},
          10_000,
        );
        expect(feed.stdout).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
        await stopped(notifier);

        const webEnv = (command: string) =>
          fill(command, [
            ['http://127.0.0.1:42069', indexerUrl],
            ['http://127.0.0.1:8545', rpc],
          ]);
        const webApp = started(
          webEnv(
            shown(
              'CHARTER_INDEXER_URL=http://127.0.0.1:42069 CHARTER_RPC_URL=http://127.0.0.1:8545 npm start -w web',
              CHAIN,
            ),
          ),
          { PORT: String(webPort) },
        );
        expect(await answered(`http://127.0.0.1:${webPort}/proposals`, 60_000)).toContain(
          'Proposals',
        );
        await stopped(webApp);

        // The Vite dev server, with the same variables, on the port it prints.
        const dev = started(shown('npm run dev -w web', CHAIN), {
          CHARTER_INDEXER_URL: indexerUrl,
          CHARTER_RPC_URL: rpc,
        });
        const [, devUrl] = await dev.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/, 120_000);
        expect(await answered(`${devUrl}/proposals`, 180_000)).toContain('Proposals');
        await stopped(dev);
        await stopped(indexer);

        // The indexer on PostgreSQL, by chain id.
        databases.push(await createTestDatabase('postgres'));
        const onPostgres = started(
          fill(
            shown(
              'npm run start -w indexer -- --rpc-url $RPC --deployment 1 --database-url postgres://…/charter --port 8080',
              CHAIN,
            ),
            [
              ['$RPC', rpc],
              ['--deployment 1', '--deployment 31337'],
              ['postgres://…/charter', databases[0]!.options.databaseUrl!],
              ['8080', String(pgPort)],
            ],
          ),
        );
        await answered(`http://127.0.0.1:${pgPort}/ready`, 120_000);
        await stopped(onPostgres);

        // npm start against the existing chain: the indexer and the web app, no anvil, no seeding. The
        // deployments file's path is relative to the repository root, where the command is typed.
        const stackEnv = {
          CHARTER_DATA_DIR: join(scratch, 'stack'),
          NOTIFIER_PORT: String(stackNotifier),
        };
        // The demo's own deployment of chain 31337 in the same data directory: an external chain with the
        // same id must keep its files apart and leave this one as it was.
        const demoFile = join(stackEnv.CHARTER_DATA_DIR, 'deployments', '31337.json');
        mkdirSync(join(stackEnv.CHARTER_DATA_DIR, 'deployments'), { recursive: true });
        const demoDeployment = readFileSync(join(ROOT, 'deployments/31337.json'), 'utf8').replace(
          /"governor": "0x[0-9a-fA-F]{40}"/,
          `"governor": "0x${'0d'.repeat(20)}"`,
        );
        writeFileSync(demoFile, demoDeployment);
        const existing = started(
          fill(shown('npm start -- --rpc-url URL --deployment deployments/<chainId>.json', CHAIN), [
            ['URL', rpc],
            ['<chainId>', '31337'],
          ]),
          { ...stackEnv, PORT: String(stackWeb), INDEXER_PORT: String(stackIndexer) },
        );
        await existing.waitFor(/Charter is ready in/, 180_000);
        expect(existing.output()).not.toContain('deploying Charter');
        expect(existing.output()).not.toContain('dev accounts');
        await answered(`http://127.0.0.1:${stackWeb}/proposals`, 30_000);
        await stopped(existing);
        expect(readFileSync(demoFile, 'utf8')).toBe(demoDeployment);
        expect(
          loadDeployment(
            join(stackEnv.CHARTER_DATA_DIR, 'chain-31337', 'deployments', '31337.json'),
          ).contracts.governor,
        ).toBe(loadDeployment(join(ROOT, 'deployments/31337.json')).contracts.governor);

        databases.push(await createTestDatabase('postgres'));
        const withPostgres = started(
          fill(
            shown(
              'DATABASE_URL=postgres://user@db-host:5432/charter npm start -- --rpc-url https://rpc.example --deployment deployments/11155111.json --port 3000',
              CHAIN,
            ),
            [
              ['postgres://user@db-host:5432/charter', databases[1]!.options.databaseUrl!],
              ['https://rpc.example', rpc],
              ['deployments/11155111.json', 'deployments/31337.json'],
              ['--port 3000', `--port ${pgWeb}`],
            ],
          ),
          { ...stackEnv, INDEXER_PORT: String(pgIndexer) },
        );
        await withPostgres.waitFor(/Charter is ready in/, 180_000);
        await answered(`http://127.0.0.1:${pgWeb}/proposals`, 30_000);
        await stopped(withPostgres);

        // The same behind a hosted provider: its limits reach the indexer, which stays 3 blocks behind.
        const hosted = started(
          fill(
            shown(
              'npm start -- --rpc-url https://rpc.example --deployment deployments/11155111.json --confirmations 3 --poll-interval 6000 --max-block-range 2000',
              CHAIN,
            ),
            [
              ['https://rpc.example', rpc],
              ['deployments/11155111.json', 'deployments/31337.json'],
            ],
          ),
          { ...stackEnv, PORT: String(stackWeb), INDEXER_PORT: String(stackIndexer) },
        );
        await hosted.waitFor(/Charter is ready in/, 180_000);
        const status = JSON.parse(await answered(`http://127.0.0.1:${stackIndexer}/ready`, 30_000));
        expect(status.head - status.indexedBlock).toBeGreaterThanOrEqual(3);
        await stopped(hosted);
      } finally {
        await Promise.all([...running].map((child) => stopped(child)));
        for (const database of databases) await database.drop();
        await chain.stop();
        if (before) writeFileSync(file, before);
        else rmSync(file, { force: true });
      }
    },
    600_000,
  );

  it(
    WEB_STACK,
    async () => {
      const [port] = await freePorts(1);
      const stack = started(shown('npx tsx web/tests/e2e/stack.ts', WEB_STACK), {
        E2E_PORT: String(port),
      });
      try {
        await stack.waitFor(/\[stack\] web http/, 240_000);
        expect(await answered(`http://127.0.0.1:${port}/proposals`, 60_000)).toContain('Proposals');
      } finally {
        await stopped(stack);
      }
    },
    300_000,
  );

  it(
    EVALUATOR,
    async () => {
      const evaluator = (command: string, env: Record<string, string> = {}) =>
        run(command, env, 300_000);

      const suites = await evaluator(shown('npm run start -w evaluator -- suites', EVALUATOR));
      expect(suites.code, suites.output).toBe(0);
      expect(suites.stdout).toContain(
        '0x45804ca5205003754e004dbcc501cf6a23a433ce0153dd67b039f92e73a70940  spam-detection',
      );

      const v2 = '0x463e71030aaef847ce58d53d74b2a73ccb2fb92764a9962101d97b29b8fc2244';
      const digest = await evaluator(
        shown('npm run start -w evaluator -- digest evaluator/models/mail-guard-v2', EVALUATOR),
      );
      expect(digest.code, digest.output).toBe(0);
      expect(digest.stdout).toContain(v2);

      // The bin, as npm puts it on the PATH of scripts and npx.
      const manifest = await evaluator(
        fill(shown('charter-eval digest <dir> --manifest', EVALUATOR), [
          ['<dir>', 'evaluator/models/mail-guard-v1'],
        ]),
        { PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
      );
      expect(manifest.code, manifest.output).toBe(0);
      expect(manifest.stdout).toContain('onnx/model.onnx');

      const report = join(ROOT, 'reports/mail-guard-v2/spam-detection.json');
      rmSync(report, { force: true });
      const ran = await evaluator(
        shown(
          'npm run start -w evaluator -- run spam-detection over-blocking robustness --model evaluator/models/mail-guard-v2',
          EVALUATOR,
        ),
      );
      expect(ran.code, ran.output).toBe(0);
      expect(existsSync(report)).toBe(true);
      const verified = await evaluator(
        shown(
          'npm run start -w evaluator -- verify reports/mail-guard-v2/spam-detection.json',
          EVALUATOR,
        ),
      );
      expect(verified.code, verified.output).toBe(0);
      expect(verified.output).toMatch(/reproduces/i);

      // WebGPU on the CPU through SwiftShader, the two lines together as a terminal would run them.
      const webgpu = await evaluator(
        `${shown(
          'export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=$(mktemp -d)',
          EVALUATOR,
        )}\n${shown(
          'npm run start -w evaluator -- run over-blocking --model evaluator/models/mail-guard-v2 --device webgpu',
          EVALUATOR,
        )}`,
      );
      expect(webgpu.code, webgpu.output).toBe(0);
      expect(webgpu.output).toMatch(/false_positive_rate\s+0\.1111/);

      // A served model: an OpenAI-compatible server that refuses everything stands in for vLLM.
      const server = await serveRefusals();
      try {
        const { port } = server.address() as AddressInfo;
        const served = await evaluator(
          fill(
            shown(
              'npm run start -w evaluator -- run mail-safety-refusals --server http://gpu-host:8000 --served-model Qwen/Qwen2.5-7B-Instruct --model-digest 0x<digest of the served weights>',
              EVALUATOR,
            ),
            [
              ['http://gpu-host:8000', `http://127.0.0.1:${port}`],
              ['0x<digest of the served weights>', `0x${'ab'.repeat(32)}`],
            ],
          ),
        );
        expect(served.code, served.output).toBe(0);
        expect(served.output).toMatch(/recall\s+1\b/);
      } finally {
        await new Promise((ok) => server.close(ok));
      }

      // With the suites as committed, recording their hashes changes nothing.
      const hashed = await evaluator(
        fill(shown('npm run hash:suites -w evaluator [suite.json...]', EVALUATOR), [
          [' [suite.json...]', ''],
        ]),
      );
      expect(hashed.code, hashed.output).toBe(0);
      const diff = await run('git diff --stat -- evaluator/suites');
      expect(diff.stdout).toBe('');

      const models = await evaluator(shown('npm run check:models -w evaluator', EVALUATOR));
      expect(models.code, models.output).toBe(0);
    },
    900_000,
  );

  it('ran every command it lists as run, in the cases that ran', () => {
    const missed = Object.entries(exercised)
      .filter(
        ([command, how]) => 'run' in how && ranTests.has(how.run) && !ranCommands.has(command),
      )
      .map(([command]) => command);
    expect(missed).toEqual([]);
  });
});

/** A minimal OpenAI-compatible chat server whose model refuses every request. */
async function serveRefusals(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          id: 'chatcmpl-readme',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: { role: 'assistant', content: "I can't help with that." },
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}
