import {
  createPublicClient,
  decodeErrorResult,
  encodeFunctionData,
  type Address,
  type Hex,
  http,
  keccak256,
  parseEther,
  toHex,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startAnvil, type Anvil } from '../anvil';
import { deployCharter } from '../deploy';
import type { Deployment } from '../deployments';
import { anvilPrivateKey } from '../devAccounts';
import { action, DevChain } from '../devGovernance';
import { evidenceRegistryAbi, policyRegistryAbi } from '../generated/abis';
import { describeCharterError } from './errors';
import type { GameParameters } from './evidenceGame';
import {
  policyCheck,
  type PolicyCheckPolicy,
  type PolicyCheckResult,
  type PolicyFailure,
} from './policyCheck';
import { shortNameToBytes32 } from './shortName';
import { sampleLeaf } from './samplesTree';
import { comparators, type ResultStatus } from './vocabulary';

// Differential test: `policyCheck` against `PolicyRegistry.checkPolicy` on a real chain, over randomized
// evidence. Governance registers the suites and admits the evaluators once, through a real proposal, and
// each evaluator bonds a different amount; each case then acts as governance directly (as the Foundry tests
// do with a prank of the timelock): it sets a new version of the policy and new game parameters (the
// challenge period and the minimum bond), re-admits the evaluators the previous case removed and tops up
// the bonds that slashing or removal took, has evaluators post results for a model of its own and dispute
// some of them by a sample proof, resolves some disputes, and mines its transactions a few to a block at
// chosen times.

const CASES = Number(process.env.POLICY_CHECK_CASES ?? 1000);
const SEED = Number(process.env.POLICY_CHECK_SEED ?? 0x5eed);

/** mulberry32: small, seedable, good enough to spread cases. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!,
  };
}

const suites = [
  {
    id: keccak256(toHex('detection@1')),
    metrics: ['accuracy', 'f1', 'precision'].map(shortNameToBytes32),
  },
  { id: keccak256(toHex('over-blocking@1')), metrics: ['fpr', 'latency'].map(shortNameToBytes32) },
];
const POLICY = shortNameToBytes32('differential');
/** Each evaluator's bond after set-up, in wei; the minimum bond of a case falls between them. */
const BONDS = [1n, 2n, 3n, 4n].map((n) => n * 10n ** 18n);
const DAY = 86_400;
/** The game's parameters but the two a case varies (the challenge period, the minimum bond). */
const GAME: GameParameters = {
  challengePeriod: 1,
  minBond: BONDS[0]!,
  disputeBond: 10n ** 17n,
  unbondingDelay: 365 * DAY,
  resolutionTimeout: 7 * DAY,
  disputerShareBps: 5000,
};
/** Longer than any result's age: every result is still disputable in a case's last block. */
const OPEN_WINDOW = 100_000;

/** A result's one committed sample: with a single leaf the samples root is the leaf and the proof empty. */
const sampleOf = (n: number, i: number) => ({
  id: `sample ${n}.${i}`,
  label: 1n,
  prediction: 1n,
  score: 900_000_000_000_000_000n,
});
const GAS = 1_500_000n;
const MAX_FEE = 50_000_000_000n;

let anvil: Anvil;
let deployment: Deployment;
let chain: DevChain;
let evaluators: PrivateKeyAccount[];

beforeAll(async () => {
  anvil = await startAnvil({ args: ['--prune-history'] });
  const [deployer, alice, bob] = [0, 1, 2].map(anvilPrivateKey) as [Hex, Hex, Hex];
  deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer,
    config: { evidenceGame: GAME },
    warn: () => {},
  });
  chain = new DevChain(anvil.rpcUrl, deployment);
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));
  evaluators = [6, 7, 8, 9].map((i) => privateKeyToAccount(anvilPrivateKey(i)));
  const { evidenceRegistry } = deployment.contracts;
  await chain.govern(
    alice,
    [alice, bob],
    [
      ...suites.map((suite, i) =>
        action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
          suite.id,
          keccak256(toHex(`dataset ${i}`)),
          suite.metrics,
          `suite ${i}`,
        ]),
      ),
      ...evaluators.map((account, i) =>
        action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
          account.address,
          `evaluator ${i}`,
        ]),
      ),
    ],
    'Register the suites and admit the evaluators of the differential test',
  );
  for (const [i, index] of [6, 7, 8, 9].entries())
    await chain.bond(anvilPrivateKey(index), BONDS[i]);
}, 120_000);
afterAll(() => anvil?.stop());

interface Tx {
  from: Address;
  to: Address;
  data: Hex;
  /** anvil orders a block's transactions by tip: a higher tip goes first. */
  tip?: bigint;
  value?: bigint;
}

it(`policyCheck equals PolicyRegistry.checkPolicy on ${CASES} randomized evidence sets`, async () => {
  const client = createPublicClient({ transport: http(anvil.rpcUrl, { batch: true }) });
  const rpc = (method: string, params: unknown[] = []) =>
    client.request({ method, params } as never) as Promise<unknown>;
  const { evidenceRegistry, policyRegistry, timelock } = deployment.contracts;
  const governance = timelock;
  await rpc('anvil_impersonateAccount', [timelock]);
  await rpc('anvil_setBalance', [timelock, toHex(parseEther('1000'))]);
  await rpc('evm_setAutomine', [false]);

  const nonces = new Map<Address, number>();
  for (const address of [governance, ...evaluators.map((e) => e.address)]) {
    nonces.set(address, await client.getTransactionCount({ address, blockTag: 'latest' }));
  }

  /**
   * Sends `txs` and mines them in one block at `timestamp`; returns their hashes. anvil signs for its own
   * accounts and for the impersonated timelock, which is much faster than signing here.
   */
  async function mine(txs: Tx[], timestamp: bigint) {
    const hashes = await Promise.all(
      txs.map(({ from, to, data, tip = 1n, value = 0n }) => {
        const nonce = nonces.get(from)!;
        nonces.set(from, nonce + 1);
        const fees = { maxFeePerGas: toHex(MAX_FEE), maxPriorityFeePerGas: toHex(tip) };
        const tx = {
          from,
          to,
          data,
          value: toHex(value),
          nonce: toHex(nonce),
          gas: toHex(GAS),
          ...fees,
        };
        return rpc('eth_sendTransaction', [tx]) as Promise<Hex>;
      }),
    );
    await rpc('evm_mine', [toHex(timestamp)]);
    return hashes;
  }

  const rand = random(SEED);
  const tally = new Map<string, number>();
  const base = await client.getBlock();
  // The registry keeps its evaluators in an array: removal moves the last into the gap.
  const admitted: Address[] = evaluators.map((e) => e.address);
  // Each evaluator's active bond: slashed to nothing by an upheld dispute, moved to unbonding by removal.
  const bonds = new Map(evaluators.map((e, i) => [e.address, BONDS[i]!]));
  let disputeCount = 0n;
  // anvil slows down as its chain grows: every SEGMENT cases go back to a snapshot of the set-up chain.
  const SEGMENT = 25;
  const initial = {
    admitted: [...admitted],
    nonces: new Map(nonces),
    bonds: new Map(bonds),
    disputeCount,
  };
  let snapshot = (await rpc('evm_snapshot')) as Hex;
  const started = Date.now();

  for (let n = 0; n < CASES; n++) {
    if (n > 0 && n % SEGMENT === 0) {
      await rpc('evm_revert', [snapshot]);
      snapshot = (await rpc('evm_snapshot')) as Hex;
      admitted.splice(0, admitted.length, ...initial.admitted);
      for (const [address, nonce] of initial.nonces) nonces.set(address, nonce);
      for (const [address, bond] of initial.bonds) bonds.set(address, bond);
      disputeCount = initial.disputeCount;
    }
    const start = base.timestamp + BigInt(n % SEGMENT) * 20_000n;
    const now = start + 20_000n;
    const MODEL = keccak256(toHex(`model of case ${n}`));
    // Each case has a mood, so that every outcome is reached often: evidence that mostly passes, sparse
    // but passing evidence (missing results), or anything at all.
    const mood = rand.pick(['passing', 'sparse', 'mixed', 'mixed'] as const);
    const maxEvidenceAge = rand.pick([1, 2, 60, rand.int(1, 9_000), rand.int(1, 9_000)]);
    const policy: PolicyCheckPolicy = {
      minEvaluators: mood === 'passing' ? rand.int(1, 2) : rand.int(1, 4),
      maxEvidenceAge,
      rules: Array.from({ length: rand.int(1, 4) }, () => {
        const suite = rand.pick(suites);
        const metricIndex = rand.int(0, suite.metrics.length - 1);
        return {
          suiteId: suite.id,
          metricId: suite.metrics[metricIndex]!,
          metricIndex,
          comparator: rand.pick(comparators),
          threshold: BigInt(rand.int(0, 1000)) * 10n ** 15n,
        };
      }),
    };
    const thresholds = policy.rules.map((rule) => rule.threshold);
    /** A value that meets every rule on this metric, when one exists. */
    const passing = (suiteId: Hex, metricIndex: number) => {
      const on = policy.rules.filter((r) => r.suiteId === suiteId && r.metricIndex === metricIndex);
      const low = on.filter((r) => r.comparator === '>=').map((r) => r.threshold);
      const high = on.filter((r) => r.comparator === '<=').map((r) => r.threshold);
      const value = low.length ? low.reduce((a, b) => (a > b ? a : b)) : rand.pick([0n, 1n]);
      return high.every((h) => value <= h) ? value : undefined;
    };
    // Few distinct submission times per case: each is a block.
    const ages = [
      rand.int(2, Math.max(2, maxEvidenceAge)),
      Math.max(2, maxEvidenceAge + rand.pick([-1, 0, 1])),
      rand.int(2, 18_000),
    ];

    // The challenge period: short (results count), about as long as the results are old (some in their
    // window, some just out of it: a result counts from submittedAt + challengePeriod on), or longer. The
    // minimum bond: mostly one every evaluator has, else between their bonds.
    const game: GameParameters = {
      ...GAME,
      challengePeriod:
        mood === 'mixed' || rand.chance(0.25)
          ? rand.pick([rand.int(1, 18_000), ages[0]! + rand.pick([-1, 0, 1]), ages[1]!])
          : 1,
      minBond: rand.chance(mood === 'mixed' ? 0.5 : 0.2)
        ? rand.pick([BONDS[1]!, BONDS[2]!, BONDS[3]!, BONDS[3]! + 1n])
        : BONDS[0]!,
    };
    const setGame = (parameters: GameParameters, tip: bigint): Tx => ({
      from: governance,
      to: evidenceRegistry,
      data: encodeFunctionData({
        abi: evidenceRegistryAbi,
        functionName: 'setGameParameters',
        args: [parameters],
      }),
      tip,
    });

    // 2 to 4 evaluators take part; each posts (or not) a result per suite, some get disputed, some of the
    // disputes resolved, and some evaluators removed afterwards (which reorders the registry's set).
    const taking = evaluators.slice(0, rand.int(2, 4));
    const results: (PolicyCheckResult & { digest: Hex; sample: ReturnType<typeof sampleOf> })[] =
      [];
    for (const evaluator of taking) {
      for (const suite of suites) {
        if (rand.chance(mood === 'sparse' ? 0.5 : mood === 'passing' ? 0.1 : 0.25)) continue;
        const age = mood === 'mixed' ? rand.pick(ages) : rand.chance(0.9) ? ages[0]! : ages[1]!;
        const values = suite.metrics.map((_, i) => {
          const pass = mood !== 'mixed' && rand.chance(0.9) ? passing(suite.id, i) : undefined;
          if (pass !== undefined) return pass;
          const value = rand.chance(0.5)
            ? rand.pick(thresholds) + rand.pick([-1n, 0n, 1n, -(10n ** 15n), 10n ** 16n])
            : BigInt(rand.int(0, 1000)) * 10n ** 15n;
          return value < 0n ? 0n : value;
        });
        results.push({
          evaluator: evaluator.address,
          suiteId: suite.id,
          status: 'valid',
          submittedAt: now - BigInt(age),
          values,
          digest: keccak256(toHex(`${n} ${evaluator.address} ${suite.id}`)),
          sample: sampleOf(n, results.length),
        });
      }
    }

    const setPolicy: Tx = {
      from: governance,
      to: policyRegistry,
      data: encodeFunctionData({
        abi: policyRegistryAbi,
        functionName: 'setPolicy',
        args: [
          POLICY,
          policy.rules.map((rule) => ({
            suiteId: rule.suiteId,
            metricId: rule.metricId,
            comparator: comparators.indexOf(rule.comparator),
            threshold: rule.threshold,
          })),
          policy.minEvaluators,
          maxEvidenceAge,
          '',
        ],
      }),
    };
    // The policy is set in the first block of the case (the oldest results are older than any fresh one).
    const readmit = evaluators
      .filter((e) => !admitted.includes(e.address))
      .map((e): Tx => {
        admitted.push(e.address);
        return {
          from: governance,
          to: evidenceRegistry,
          data: encodeFunctionData({
            abi: evidenceRegistryAbi,
            functionName: 'admitEvaluator',
            args: [e.address, 'back again'],
          }),
        };
      });
    // Bonds that slashing or removal took are topped up, after the re-admissions.
    const topUps = evaluators
      .filter((e) => bonds.get(e.address)! < BONDS[evaluators.indexOf(e)]!)
      .map((e): Tx => {
        const missing = BONDS[evaluators.indexOf(e)]! - bonds.get(e.address)!;
        bonds.set(e.address, BONDS[evaluators.indexOf(e)]!);
        return {
          from: e.address,
          to: evidenceRegistry,
          data: encodeFunctionData({ abi: evidenceRegistryAbi, functionName: 'bond' }),
          value: missing,
          tip: 500n,
        };
      });
    // Governance goes first, in the block of the oldest results, with a challenge period that keeps every
    // result disputable until the case's last block.
    const first = [
      ...[setPolicy, ...readmit].map((tx) => ({ ...tx, tip: 1000n })),
      setGame({ ...GAME, challengePeriod: OPEN_WINDOW }, 1000n),
      ...topUps,
    ];
    const oldest = results.reduce(
      (a, r) => (BigInt(r.submittedAt) < a ? BigInt(r.submittedAt) : a),
      now - 1n,
    );
    const byTime = new Map<bigint, Tx[]>([[oldest, first]]);
    for (const result of results) {
      const list = byTime.get(BigInt(result.submittedAt)) ?? [];
      list.push({
        from: result.evaluator,
        to: evidenceRegistry,
        data: encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'submitResult',
          args: [
            {
              modelId: MODEL,
              suiteId: result.suiteId,
              metricIds: suites.find((s) => s.id === result.suiteId)!.metrics,
              values: result.values as bigint[],
              reportDigest: result.digest,
              samplesRoot: sampleLeaf(result.sample),
              uri: '',
            },
          ],
        }),
      });
      byTime.set(BigInt(result.submittedAt), list);
    }
    const sent: Hex[] = [];
    for (const [at, txs] of [...byTime].sort(([a], [b]) => (a < b ? -1 : 1))) {
      sent.push(...(await mine(txs, at)));
    }

    const disputes: Tx[] = [];
    const resolutions: Tx[] = [];
    for (const result of results) {
      if (!rand.chance(mood === 'mixed' ? 0.3 : 0.05)) continue;
      const disputer = taking.find((e) => e.address !== result.evaluator)!;
      disputes.push({
        from: disputer.address,
        to: evidenceRegistry,
        data: encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'dispute',
          args: [
            MODEL,
            result.suiteId,
            result.evaluator,
            result.digest,
            result.sample,
            [],
            {
              prediction: 0n,
              score: 100_000_000_000_000_000n,
              reportDigest: result.digest,
              uri: '',
            },
          ],
        }),
        value: GAME.disputeBond,
      });
      disputeCount++;
      result.status = 'disputed';
      const outcome = rand.next();
      if (outcome < 0.5) continue;
      const upheld = outcome < 0.75;
      resolutions.push({
        from: governance,
        to: evidenceRegistry,
        data: encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'resolveDispute',
          args: [disputeCount, upheld],
        }),
      });
      result.status = (upheld ? 'struck' : 'valid') satisfies ResultStatus;
      // Upheld: the evaluator's whole stake is slashed.
      if (upheld) bonds.set(result.evaluator, 0n);
    }
    for (const evaluator of taking) {
      if (!rand.chance(mood === 'sparse' ? 0.05 : 0.15)) continue;
      resolutions.push({
        from: governance,
        to: evidenceRegistry,
        data: encodeFunctionData({
          abi: evidenceRegistryAbi,
          functionName: 'removeEvaluator',
          args: [evaluator.address],
        }),
      });
      const gap = admitted.indexOf(evaluator.address);
      const last = admitted.pop()!;
      if (gap < admitted.length) admitted[gap] = last;
      bonds.set(evaluator.address, 0n); // removal moves the active bond to unbonding
    }
    // Disputes go before the resolutions and removals, in one block at `now`; last, the case's own
    // challenge period and minimum bond.
    sent.push(
      ...(await mine(
        [...disputes.map((tx) => ({ ...tx, tip: 1000n })), ...resolutions, setGame(game, 0n)],
        now,
      )),
    );
    const receipts = await Promise.all(sent.map((hash) => client.getTransactionReceipt({ hash })));
    expect(receipts.filter((r) => r.status !== 'success')).toEqual([]);

    const [[met, , failureData], onChainAdmitted] = await Promise.all([
      client.readContract({
        address: policyRegistry,
        abi: policyRegistryAbi,
        functionName: 'checkPolicy',
        args: [MODEL, POLICY],
      }),
      client.readContract({
        address: evidenceRegistry,
        abi: evidenceRegistryAbi,
        functionName: 'evaluators',
      }),
    ]);
    const onChain: PolicyFailure | undefined = met
      ? undefined
      : (() => {
          const { errorName, args } = decodeErrorResult({
            abi: policyRegistryAbi,
            data: failureData,
          });
          return { name: errorName as PolicyFailure['name'], args: args ?? [] };
        })();

    for (const result of results) result.bond = bonds.get(result.evaluator)!;
    const ours = policyCheck(policy, results, [...admitted], now, game);
    const context = { seed: SEED, case: n, policy, game, results, admitted: [...admitted], now };
    expect(onChainAdmitted, JSON.stringify(context, bigintJson)).toEqual(admitted);
    expect(ours.met, JSON.stringify(context, bigintJson)).toBe(met);
    expect(ours.failure, JSON.stringify(context, bigintJson)).toEqual(onChain);
    if (onChain) {
      expect(describeCharterError(ours.failure!.name, ours.failure!.args)).toBe(
        describeCharterError(onChain.name, onChain.args),
      );
    }
    if (n % 100 === 99)
      console.info(`policyCheck: ${n + 1} cases, ${(Date.now() - started) / 1000} s`);
    const kind = onChain?.name ?? 'met';
    const count = (name: string) => tally.set(name, (tally.get(name) ?? 0) + 1);
    count(kind);
    // What the cases exercised besides their outcome.
    if (results.some((r) => r.status === 'struck')) count('struck result');
    if (results.some((r) => BigInt(now) - BigInt(r.submittedAt) === BigInt(maxEvidenceAge))) {
      count('result exactly maxAge old');
    }
    if (admitted.some((address, i) => address !== evaluators[i]?.address)) count('reordered set');
    if (results.some((r) => !admitted.includes(r.evaluator))) count('removed evaluator');
    if (results.some((r) => BigInt(r.submittedAt) + BigInt(game.challengePeriod) === BigInt(now))) {
      count('result counting from exactly now');
    }
    if (ours.rules.some((rule) => rule.results.some((r) => r.standing === 'underbonded'))) {
      count('underbonded result');
    }
  }

  console.info(
    `policyCheck: ${CASES} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    Object.fromEntries(tally),
  );
  // Every outcome was reached often enough for the comparison to mean something.
  const atLeast = Math.floor(CASES / 20);
  for (const kind of [
    'met',
    'PolicyRegistryThresholdNotMet',
    'PolicyRegistryEvidenceTooOld',
    'PolicyRegistryEvidenceInChallengeWindow',
    'PolicyRegistryEvidenceDisputed',
    'PolicyRegistryEvaluatorUnderbonded',
    'PolicyRegistryEvidenceMissing',
    'struck result',
    'result exactly maxAge old',
    'result counting from exactly now',
    'underbonded result',
    'reordered set',
    'removed evaluator',
  ]) {
    expect(tally.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(atLeast);
  }
}, 600_000);

const bigintJson = (_: string, value: unknown) =>
  typeof value === 'bigint' ? value.toString() : value;
