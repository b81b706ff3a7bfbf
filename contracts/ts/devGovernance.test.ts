import { keccak256, parseEther, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startAnvil, type Anvil } from './anvil';
import { anvilPrivateKey } from './devAccounts';
import { deployCharter } from './deploy';
import {
  action,
  approvalAction,
  approvalTerms,
  approveCall,
  DEFAULT_APPROVAL_EXPIRY,
  DevChain,
  resolveDisputeAction,
  setGameParametersAction,
  setResolverAction,
} from './devGovernance';
import { parseWad, proposalId, sampleLeaf, shortNameToBytes32, standings } from './protocol';
import {
  charterGovernorAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
} from './generated/abis';

let anvil: Anvil;
beforeAll(async () => {
  anvil = await startAnvil();
});
afterAll(() => anvil?.stop());

it('runs a proposal through its whole life on a dev chain', async () => {
  const [deployer, alice, bob, evaluator] = [0, 1, 2, 3].map(anvilPrivateKey) as [
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
    `0x${string}`,
  ];
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer,
    warn: () => {},
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  await chain.fund(deployer, alice, parseEther('300000'));
  await chain.fund(deployer, bob, parseEther('200000'));

  const { evidenceRegistry, governor } = deployment.contracts;
  const evaluatorAddress = privateKeyToAccount(evaluator).address;
  const actions = [
    action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [evaluatorAddress, 'lab']),
  ];
  const id = await chain.govern(alice, [alice, bob], actions, 'Admit the lab');

  expect(id).toBe(proposalId(actions, 'Admit the lab'));
  expect(
    await chain.public.readContract({
      address: governor,
      abi: charterGovernorAbi,
      functionName: 'state',
      args: [id],
    }),
  ).toBe(7); // Executed
  expect(
    await chain.public.readContract({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'isEvaluator',
      args: [evaluatorAddress],
    }),
  ).toBe(true);
}, 60_000);

it('bonds, moves past the challenge window, and governs the evidence game by its actions', async () => {
  const [deployer, alice, lab, disputer, council] = [0, 1, 6, 7, 10].map(anvilPrivateKey) as Hex[];
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer!,
    warn: () => {},
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  await chain.fund(deployer!, alice!, parseEther('300000'));
  const { evidenceRegistry } = deployment.contracts;
  const read = chain.public.readContract;
  const labAddress = privateKeyToAccount(lab!).address;
  const councilAddress = privateKeyToAccount(council!).address;
  const suiteId = keccak256(toHex('suite'));
  const accuracy = shortNameToBytes32('accuracy');
  const game = { ...(await chain.gameParameters()), challengePeriod: 600 };
  await chain.govern(
    alice!,
    [alice!],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suiteId,
        keccak256(toHex('dataset')),
        [accuracy],
        'suite',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [labAddress, 'lab']),
      setGameParametersAction(deployment, game),
      setResolverAction(deployment, councilAddress),
    ],
    'Admit a lab, shorten the window and appoint the council',
  );
  expect(await chain.gameParameters()).toEqual(game);
  expect(
    await read({ address: evidenceRegistry, abi: evidenceRegistryAbi, functionName: 'resolver' }),
  ).toBe(councilAddress);

  await chain.bond(lab!);
  const [bonded] = await read({
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'stakeOf',
    args: [labAddress],
  });
  expect(bonded).toBe(game.minBond);

  const modelId = keccak256(toHex('model'));
  // One committed sample: the samples root is its leaf, and its proof empty.
  const sample = { id: 's', label: 1n, prediction: 1n, score: 10n ** 18n };
  const leaf = sampleLeaf(sample);
  const post = (report: string) =>
    chain.send(lab!, {
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'submitResult',
      args: [
        {
          modelId,
          suiteId,
          metricIds: [accuracy],
          values: [parseWad('0.9')],
          reportDigest: keccak256(toHex(report)),
          samplesRoot: leaf,
          uri: '',
        },
      ],
    });
  const standing = async () => {
    const [evidence] = await read({
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'evidenceFor',
      args: [modelId, suiteId, 0n],
    });
    return standings[evidence!.standing];
  };
  await post('first');
  expect(await standing()).toBe('in-window');
  await chain.passChallengeWindow();
  expect(await standing()).toBe('counts');

  // A new version, disputed by a sample (a payable write) and upheld by a proposal: struck and slashed.
  await post('second');
  await chain.send(disputer!, {
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'dispute',
    args: [
      modelId,
      suiteId,
      labAddress,
      keccak256(toHex('second')),
      sample,
      [],
      { prediction: 0n, score: 0n, reportDigest: keccak256(toHex('mine')), uri: '' },
    ],
    value: game.disputeBond,
  });
  expect(await standing()).toBe('disputed');
  await chain.govern(
    alice!,
    [alice!],
    [resolveDisputeAction(deployment, 1n, true)],
    'Uphold the dispute',
  );
  expect(await standing()).toBe('struck');
  const [left] = await read({
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'stakeOf',
    args: [labAddress],
  });
  expect(left).toBe(0n);
}, 120_000);

it('builds approvals pinned to the family policy, its version and the current version', async () => {
  const [deployer, alice, evaluator] = [0, 1, 6].map(anvilPrivateKey) as [Hex, Hex, Hex];
  const deployment = await deployCharter({
    rpcUrl: anvil.rpcUrl,
    privateKey: deployer,
    warn: () => {},
  });
  const chain = new DevChain(anvil.rpcUrl, deployment);
  await chain.fund(deployer, alice, parseEther('300000'));
  const { evidenceRegistry, policyRegistry, modelRegistry } = deployment.contracts;
  // Results count only from a bonded evaluator, once their window has passed (`govern` moves time enough).
  const suiteId = keccak256(toHex('suite'));
  const f1 = shortNameToBytes32('f1');
  const policyId = shortNameToBytes32('mail-safety');
  await chain.govern(
    alice,
    [alice],
    [
      action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suiteId,
        keccak256(toHex('dataset')),
        [f1],
        'suite',
      ]),
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        privateKeyToAccount(evaluator).address,
        'lab',
      ]),
      action(policyRegistry, policyRegistryAbi, 'setPolicy', [
        policyId,
        [{ suiteId, metricId: f1, comparator: 0, threshold: parseWad('0.9') }],
        1,
        60 * 60 * 24 * 30,
        '',
      ]),
      action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', ['mail-guard', policyId]),
    ],
    'Govern mail-guard by mail-safety',
  );
  await chain.bond(evaluator);
  const digest = (label: string) => keccak256(toHex(label));
  const [v1, v2, other] = [digest('v1'), digest('v2'), digest('other')];
  for (const [family, version, id] of [
    ['mail-guard', 'v1', v1],
    ['mail-guard', 'v2', v2],
    ['chat-guard', 'v1', other],
  ] as const) {
    await chain.send(alice, {
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: [family, version, id, `ipfs://${family}/${version}`, `0x${'0'.repeat(64)}`],
    });
    await chain.send(evaluator, {
      address: evidenceRegistry,
      abi: evidenceRegistryAbi,
      functionName: 'submitResult',
      args: [
        {
          modelId: id,
          suiteId,
          metricIds: [f1],
          values: [parseWad('0.95')],
          reportDigest: keccak256(toHex(`report ${id}`)),
          samplesRoot: keccak256(toHex(`samples ${id}`)),
          uri: '',
        },
      ],
    });
  }

  const first = await approvalTerms(chain, v1);
  expect(first).toMatchObject({
    family: 'mail-guard',
    version: 'v1',
    policyId,
    policyVersion: 1n,
    expectedCurrent: `0x${'0'.repeat(64)}`,
    expiresAt: Number(await chain.now()) + DEFAULT_APPROVAL_EXPIRY,
  });
  await chain.govern(alice, [alice], [await approvalAction(chain, v1)], 'Approve v1');
  const current = () =>
    chain.public.readContract({
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'currentVersion',
      args: ['mail-guard'],
    });
  expect(await current()).toBe(v1);

  // The next approval replaces v1, and says so.
  const second = await approvalTerms(chain, v2, { expiresIn: 60 * 60 * 24 * 10 });
  expect(second).toMatchObject({ expectedCurrent: v1, expectedCurrentLabel: 'v1' });
  expect(second.expiresAt).toBe(Number(await chain.now()) + 60 * 60 * 24 * 10);
  await chain.govern(alice, [alice], [approveCall(deployment, second)], 'Approve v2');
  expect(await current()).toBe(v2);

  // Refusals, each naming what is wrong.
  await expect(approvalAction(chain, other)).rejects.toThrow(
    /no policy governs the family chat-guard.*setFamilyPolicy/,
  );
  await expect(approvalAction(chain, digest('never registered'))).rejects.toThrow(
    /no model version has this digest/,
  );
  await expect(approvalAction(chain, v1, { expiresIn: 60 * 60 * 24 * 31 })).rejects.toThrow(
    /between 1 and the registry's approval window \(2592000 s\)/,
  );
}, 120_000);
