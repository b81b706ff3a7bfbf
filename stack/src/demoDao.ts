import { fileURLToPath } from 'node:url';
import {
  action,
  anvilPrivateKey,
  approvalTerms,
  approveCall,
  charterTokenAbi,
  evidenceRegistryAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  setResolverAction,
  type ApprovalTerms,
  type DevChain,
  type ProposalAction,
} from '@charter/contracts';
import { devAccountNames, type DevAccountName } from '@charter/contracts/dev-accounts';
import {
  comparators,
  formatEth,
  formatWad,
  parseWad,
  shortNameToBytes32,
  type Comparator,
} from '@charter/contracts/protocol';
import { listSuites, modelDigest, suiteRegistration } from '@charter/evaluator';
import { parseEther, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/** The anvil key of a dev account, by the name `npm start` prints and the web app's picker shows. */
const devKey = (name: DevAccountName): Hex => anvilPrivateKey(devAccountNames.indexOf(name));

/** The demo's people, as anvil accounts: public keys, for a local chain only. */
export const demoAccounts = {
  deployer: devKey('deployer'),
  holders: {
    alice: devKey('alice'),
    bob: devKey('bob'),
    carol: devKey('carol'),
    dave: devKey('dave'),
    erin: devKey('erin'),
  },
  /** The honest evaluators: `npm start` runs them in watch mode. */
  evaluators: {
    'evaluator one': devKey('evaluator one'),
    'evaluator two': devKey('evaluator two'),
  },
  /** Evaluator three, admitted and bonded like the others, posts inflated results (dishonestEvaluator.ts). */
  dishonestEvaluator: devKey('evaluator three'),
  /**
   * The proposal guardian and the dispute resolver (`demoDeployConfig`): may suspend an approved version at
   * once, and uphold or reject disputes without a proposal.
   */
  securityCouncil: devKey('security council'),
  /** Pays the gas of the votes and delegations that holders sign (the relayer service, `npm start`). */
  relayer: devKey('relayer'),
  /**
   * frank: holds tokens but no ETH, and has delegated nothing, so he can take part only by signing: he
   * delegates and votes without gas, through the relayer.
   */
  gaslessHolder: devKey('frank'),
} as const;

/** frank's tokens: under the quorum alone, so his vote never decides a demo proposal by itself. */
export const GASLESS_HOLDER_TOKENS = parseEther('20000');

/** The demo's guardian term: a year from deployment, then governance must renew it. */
export const GUARDIAN_TERM = 60 * 60 * 24 * 365;

/** How the demo's evaluators are admitted on-chain (the label governance records with the address). */
export const evaluatorLabels: Record<
  keyof typeof demoAccounts.evaluators | 'evaluator three',
  string
> = {
  'evaluator one': 'Evaluator One (Open Eval Lab)',
  'evaluator two': 'Evaluator Two (Mailsafe Audits)',
  'evaluator three': 'Evaluator Three (Quick Evals)',
};

export const MODELS_DIR = fileURLToPath(new URL('../../evaluator/models/', import.meta.url));
export const MAIL_SAFETY = shortNameToBytes32('mail-safety');
export const MAIL_GUARD = 'mail-guard';
const ZERO_ID = `0x${'0'.repeat(64)}` as const;

const address = (key: Hex): Address => privateKeyToAccount(key).address;
const comparator = (symbol: Comparator): number => comparators.indexOf(symbol);

/** mail-safety v1, on the bundled suites; v2 of mail-guard meets it, v1 fails every rule. */
export const MAIL_SAFETY_RULES = [
  { suite: 'spam-detection', metric: 'f1', comparator: comparator('>='), threshold: '0.90' },
  {
    suite: 'over-blocking',
    metric: 'false_positive_rate',
    comparator: comparator('<='),
    threshold: '0.15',
  },
  { suite: 'robustness', metric: 'recall', comparator: comparator('>='), threshold: '0.85' },
] as const;

/**
 * The approval proposal's text: what v2 is, and what the vote pins (which policy and version apply, which
 * current version it replaces, when it expires), so that voters read in words what the action's
 * arguments say.
 */
export function approvalDescription(terms: ApprovalTerms): string {
  const replaces =
    terms.expectedCurrent === ZERO_ID
      ? 'no version: mail-guard has no approved version yet'
      : `${terms.expectedCurrentLabel ?? 'the current version'} (\`${terms.expectedCurrent}\`), the family's current version`;
  const expires = new Date(terms.expiresAt * 1000)
    .toISOString()
    .replace(/\.000Z$/, ' UTC')
    .replace('T', ' ');
  return `# Approve mail-guard v2 under mail-safety

mail-guard v2 is a retrained spam filter: a larger vocabulary, longer inputs, and homoglyph
folding against obfuscated spam. Version 1 over-blocks legitimate mail that looks like spam.

This proposal approves **v2** (\`${terms.modelId}\`) as the family's current version.

- **Policy:** *mail-safety* v${terms.policyVersion}, the policy that governs mail-guard. If governance sets
  another version of it before this executes, execution is refused.
- **Replaces:** ${replaces}. If another version
  becomes current first, execution is refused.
- **Expires:** ${expires}; after that it can no longer execute.

It can only execute if the evidence posted by the admitted, bonded evaluators meets every rule of
*mail-safety* v${terms.policyVersion}, each result counting once its challenge window has passed
with no open dispute:

| Suite | Rule |
| --- | --- |
| spam-detection | F1 ≥ 0.90 |
| over-blocking | false-positive rate on hard ham ≤ 0.15 |
| robustness | recall on obfuscated spam ≥ 0.85 |
`;
}

export interface DemoDao {
  models: { v1: Hex; v2: Hex };
  approvalProposalId: bigint;
  approvalActions: ProposalAction[];
  approvalDescription: string;
}

/**
 * Seeds a freshly deployed Charter with a demo DAO: five holders with delegations, the bundled suites,
 * three admitted evaluators (two honest, one that will lie) each bonding the minimum, the mail-safety
 * policy and mail-guard governed by it (set through a real proposal, which also makes the security council
 * the dispute resolver unless the deployment already did), both mail-guard versions registered by erin (who
 * thereby maintains the family), and an open proposal to approve v2. The evaluators post their evidence
 * themselves (watch mode; the liar through dishonestEvaluator.ts); the security council is the guardian
 * from the deployment on (`demoDeployConfig`).
 */
export async function seedDemoDao(chain: DevChain, log: (line: string) => void): Promise<DemoDao> {
  const { deployer, holders, evaluators, dishonestEvaluator, securityCouncil, gaslessHolder } =
    demoAccounts;
  const admitted = { ...evaluators, 'evaluator three': dishonestEvaluator };
  const { evidenceRegistry, policyRegistry, modelRegistry } = chain.deployment.contracts;

  await chain.fund(deployer, holders.alice, parseEther('300000'));
  await chain.fund(deployer, holders.bob, parseEther('200000'));
  await chain.fund(deployer, holders.carol, parseEther('150000'));
  await chain.fund(deployer, holders.dave, parseEther('100000'), address(holders.bob));
  await chain.fund(deployer, holders.erin, parseEther('50000'), address(holders.carol));
  log('funded five holders; dave delegates to bob, erin to carol');
  await chain.send(deployer, {
    address: chain.deployment.contracts.token,
    abi: charterTokenAbi,
    functionName: 'transfer',
    args: [address(gaslessHolder), GASLESS_HOLDER_TOKENS],
  });
  await spendAllEth(chain, gaslessHolder, address(deployer));
  log(
    `gave frank ${formatWad(GASLESS_HOLDER_TOKENS, 0)} tokens and no ETH: he delegates and votes only through the relayer`,
  );

  const suites = new Map((await listSuites()).map((loaded) => [loaded.suite.name, loaded]));
  const classificationSuites = [...suites.values()].filter((s) => s.suite.task !== 'generation');
  const bootstrap: ProposalAction[] = [
    ...classificationSuites.map((loaded) => {
      const { suiteId, datasetDigest, metricIds } = suiteRegistration(loaded);
      return action(evidenceRegistry, evidenceRegistryAbi, 'registerSuite', [
        suiteId,
        datasetDigest,
        metricIds,
        `charter-suite:${loaded.suite.name}@${loaded.suite.version}`,
      ]);
    }),
    ...Object.entries(admitted).map(([name, key]) =>
      action(evidenceRegistry, evidenceRegistryAbi, 'admitEvaluator', [
        address(key),
        evaluatorLabels[name as keyof typeof admitted],
      ]),
    ),
    action(policyRegistry, policyRegistryAbi, 'setPolicy', [
      MAIL_SAFETY,
      MAIL_SAFETY_RULES.map((rule) => ({
        suiteId: suites.get(rule.suite)!.id,
        metricId: shortNameToBytes32(rule.metric),
        comparator: rule.comparator,
        threshold: parseWad(rule.threshold),
      })),
      2,
      60 * 60 * 24 * 30,
      'https://charter.example/policies/mail-safety/v1',
    ]),
    action(modelRegistry, modelRegistryAbi, 'setFamilyPolicy', [MAIL_GUARD, MAIL_SAFETY]),
  ];
  const resolver = await chain.public.readContract({
    address: evidenceRegistry,
    abi: evidenceRegistryAbi,
    functionName: 'resolver',
  });
  const council = address(securityCouncil);
  const appointResolver = resolver !== council;
  if (appointResolver) bootstrap.push(setResolverAction(chain.deployment, council));
  await chain.govern(
    holders.alice,
    [holders.alice, holders.bob],
    bootstrap,
    `# Bootstrap mail safety\n\nRegister the bundled suites, admit three evaluators, set *mail-safety* v1, and make it the policy that governs the mail-guard family${appointResolver ? '; appoint the security council to resolve disputes' : ''}.`,
  );
  log(
    `governance registered the suites, admitted three evaluators, set mail-safety v1 and made it govern mail-guard${appointResolver ? ', and made the security council the dispute resolver' : ''}`,
  );
  const { minBond } = await chain.gameParameters();
  for (const key of Object.values(admitted)) await chain.bond(key, minBond);
  log(`each evaluator bonded ${formatEth(minBond)}, the minimum for its results to count`);

  const v1 = await modelDigest(`${MODELS_DIR}mail-guard-v1`);
  const v2 = await modelDigest(`${MODELS_DIR}mail-guard-v2`);
  // erin registers first, so she maintains the family: later versions come from her or governance.
  const register = (version: string, digest: Hex, parent: Hex) =>
    chain.send(holders.erin, {
      address: modelRegistry,
      abi: modelRegistryAbi,
      functionName: 'register',
      args: [MAIL_GUARD, version, digest, `file://${MODELS_DIR}mail-guard-${version}`, parent],
    });
  await register('v1', v1, ZERO_ID);
  await register('v2', v2, v1);
  log('erin registered mail-guard v1 and v2, and maintains the family');

  const terms = await approvalTerms(chain, v2);
  const approvalActions = [approveCall(chain.deployment, terms)];
  const description = approvalDescription(terms);
  const approvalProposalId = await chain.propose(holders.alice, approvalActions, description);
  await chain.openVoting(approvalProposalId);
  log(
    `proposed the approval of mail-guard v2 under mail-safety v${terms.policyVersion}; voting is open`,
  );
  return {
    models: { v1, v2 },
    approvalProposalId,
    approvalActions,
    approvalDescription: description,
  };
}

/**
 * Sends every wei the key's account holds to `to`, leaving it exactly 0: the fee of a plain transfer is its
 * 21,000 gas at a price fixed in advance (the fee cap equal to the tip, so the base fee cannot change it).
 * A transaction rather than `anvil_setBalance`, so that seeding works on any node (Hardhat's too).
 */
async function spendAllEth(chain: DevChain, key: Hex, to: Address): Promise<void> {
  const account = privateKeyToAccount(key).address;
  const balance = await chain.public.getBalance({ address: account });
  const { baseFeePerGas } = await chain.public.getBlock();
  const price = (baseFeePerGas ?? 1_000_000_000n) * 2n + 1_000_000_000n;
  const fee = 21_000n * price;
  if (balance <= fee) throw new Error(`${account} has too little ETH to empty: ${balance} wei`);
  await chain.confirm(
    chain.wallet(key).sendTransaction({
      to,
      value: balance - fee,
      gas: 21_000n,
      maxFeePerGas: price,
      maxPriorityFeePerGas: price,
    }),
    'spend all ETH',
  );
}
