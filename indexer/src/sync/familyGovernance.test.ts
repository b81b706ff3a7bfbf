import {
  action,
  approvalAction,
  charterGovernorAbi,
  modelRegistryAbi,
  policyRegistryAbi,
  type ProposalAction,
} from '@charter/contracts';
import { describeCharterError, parseWad } from '@charter/contracts/protocol';
import {
  ContractFunctionRevertedError,
  decodeFunctionData,
  keccak256,
  toHex,
  zeroAddress,
  type BaseError,
  type Hex,
} from 'viem';
import { describe, expect, it } from 'vitest';

import type { Change } from '../client';
import { dumpDatabase } from '../testing/dumpDatabase';
import { followOnEveryDatabase } from '../testing/followers';
import {
  guardianIndex,
  metric,
  modelDigest,
  policyId,
  submitResult,
  suiteId,
  waitForHead,
  type TestChain,
} from '../testing/testChain';

// One chain with a governed family, followed live by an indexer on each database at once.
describe('family policies, maintainers, pinned approvals and suspensions on PGlite and PostgreSQL', () => {
  let test: TestChain;
  const { followers, start, caughtUp, clients } = followOnEveryDatabase((t) => (test = t));
  const v1 = modelDigest('v1');
  const v2 = modelDigest('v2');
  const reason = 'leaks customer data';
  let approvalId: bigint;

  const registry = () => test.deployment.contracts.modelRegistry;
  const read = <T>(functionName: string, args: unknown[] = []) =>
    test.chain.public.readContract({
      address: registry(),
      abi: modelRegistryAbi,
      functionName,
      args,
    } as never) as Promise<T>;
  const suspend = (modelId: Hex) =>
    test.chain.send(test.keys[guardianIndex]!, {
      address: registry(),
      abi: modelRegistryAbi,
      functionName: 'suspend',
      args: [modelId, reason],
    });

  /** What executing the approval now would revert with: the registry's call, made as the timelock. */
  async function approvalRevert(actions: ProposalAction[]) {
    const { args } = decodeFunctionData({ abi: modelRegistryAbi, data: actions[0]!.calldata });
    const error = (await test.chain.public
      .simulateContract({
        account: test.deployment.contracts.timelock,
        address: registry(),
        abi: modelRegistryAbi,
        functionName: 'approve',
        args: args as never,
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )) as BaseError;
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as
      ContractFunctionRevertedError | undefined;
    return revert!.data!;
  }

  it('shows the family, its policy, maintainer and current version, and the governance parameters', async () => {
    await submitResult(test, 4, v1, '0.95', '0.02');
    await submitResult(test, 5, v1, '0.93', '0.01');
    await test.chain.govern(
      test.keys[0]!,
      [test.keys[0]!],
      [await approvalAction(test.chain, v1)],
      'Approve mail-guard v1',
    );
    await caughtUp();
    const [window, maxSuspension, termEnd] = await Promise.all([
      read<number>('approvalWindow'),
      read<number>('maxSuspension'),
      test.chain.public.readContract({
        address: test.deployment.contracts.governor,
        abi: charterGovernorAbi,
        functionName: 'guardianTermEnd',
      }),
    ]);
    for (const { kind, client } of clients()) {
      expect(await client.families.list(), kind).toEqual([
        {
          family: 'mail-guard',
          familyId: keccak256(toHex('mail-guard')),
          policy: { id: policyId, name: 'mail-safety', activeVersion: 1 },
          maintainer: test.address(1),
          currentVersion: expect.objectContaining({
            id: v1,
            status: 'approved',
            maintainer: test.address(1),
            approvedUnder: { policyId, policyVersion: 1 },
            suspension: null,
          }),
          versions: 2,
        },
      ]);
      expect(await client.governance(), kind).toMatchObject({
        approvalWindow: Number(window),
        maxSuspension: Number(maxSuspension),
        proposalGuardian: test.address(guardianIndex),
        appointedGuardian: test.address(guardianIndex),
        guardianTermEnd: Number(termEnd),
      });
    }

    // The maintainer hands the family over; the stream announces the family.
    const streams = await Promise.all(
      clients().map(async ({ kind, client }) => {
        const changes: Change[] = [];
        let unsubscribe!: () => void;
        await new Promise<void>((opened) => {
          unsubscribe = client.subscribe((change) => changes.push(change), { onOpen: opened });
        });
        return { kind, changes, unsubscribe };
      }),
    );
    await test.chain.send(test.keys[1]!, {
      address: registry(),
      abi: modelRegistryAbi,
      functionName: 'setMaintainer',
      args: ['mail-guard', test.address(2)],
    });
    await caughtUp();
    for (const { kind, changes, unsubscribe } of streams) {
      const deadline = Date.now() + 5000;
      while (!changes.some((change) => change.kind === 'family') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      unsubscribe();
      expect(changes, kind).toContainEqual(
        expect.objectContaining({ kind: 'family', id: 'mail-guard' }),
      );
    }
    for (const { kind, client } of clients()) {
      expect((await client.families.list())[0]!.maintainer, kind).toBe(test.address(2));
      expect((await client.models.get(v2)).maintainer, kind).toBe(test.address(2));
    }
  });

  it('says which pins of a pending approval no longer hold, in the words of its revert', async () => {
    const actions = [await approvalAction(test.chain, v2)];
    approvalId = await test.chain.propose(test.keys[3]!, actions, 'Approve mail-guard v2');
    await caughtUp();
    for (const { kind, client } of clients()) {
      const proposal = await client.proposals.get(approvalId.toString());
      expect(proposal.actions[0]!.summary, kind).toMatch(
        /^approve mail-guard v2 under policy mail-safety v1, replacing mail-guard v1, executable until /,
      );
      expect(proposal.approval, kind).toMatchObject({
        modelId: v2,
        family: 'mail-guard',
        version: 'v2',
        policyId,
        policyName: 'mail-safety',
        policyVersion: 1,
        expectedCurrent: v1,
        expectedCurrentVersion: 'v1',
        window: 'open',
        familyPolicyId: policyId,
        activePolicyVersion: 1,
        currentModelId: v1,
        currentVersion: 'v1',
        policyMatches: true,
        policyVersionMatches: true,
        currentMatches: true,
        blockers: [],
        // v2 has no evidence yet.
        canExecute: false,
      });
      expect(proposal.evidence, kind).toMatchObject({
        policyId,
        policyVersion: 1,
        wouldExecuteNow: false,
        failure: { reason: 'missing', error: 'PolicyRegistryEvidenceMissing' },
      });
    }

    // Governance tightens mail-safety while the approval waits: it can no longer execute.
    const stricter = [
      { suiteId, metricId: metric('f1'), comparator: 0, threshold: parseWad('0.97') },
    ];
    await test.chain.govern(
      test.keys[0]!,
      [test.keys[0]!],
      [
        action(test.deployment.contracts.policyRegistry, policyRegistryAbi, 'setPolicy', [
          policyId,
          stricter,
          1,
          86_400,
          'ipfs://policy/v2',
        ]),
      ],
      'Tighten mail-safety',
    );
    await caughtUp();
    const revert = await approvalRevert(actions);
    expect(revert.errorName).toBe('ModelRegistryPolicyVersionChanged');
    for (const { kind, client } of clients()) {
      const { approval, evidence } = await client.proposals.get(approvalId.toString());
      expect(approval, kind).toMatchObject({
        policyVersion: 1,
        activePolicyVersion: 2,
        policyVersionMatches: false,
        currentMatches: true,
        canExecute: false,
      });
      expect(approval!.blockers, kind).toEqual([
        {
          check: 'policy-version',
          error: revert.errorName,
          message: describeCharterError(revert.errorName, revert.args ?? []),
        },
      ]);
      // The verdict checks the family's policy as it is now: version 2.
      expect(evidence, kind).toMatchObject({ policyId, policyVersion: 2, wouldExecuteNow: false });
      expect(
        evidence!.rules.map((rule) => rule.threshold),
        kind,
      ).toEqual([parseWad('0.97').toString()]);
    }
  });

  it('follows a suspension, a reorg that undoes it, and a suspension that lapses', async () => {
    const maxSuspension = await read<number>('maxSuspension');
    const snapshot = await test.chain.test.snapshot();
    await suspend(v1);
    await caughtUp();
    const since = Number((await test.chain.public.getBlock()).timestamp);
    const until = await read<number>('suspendedUntil', [v1]);
    expect(until).toBe(since + Number(maxSuspension));
    for (const { kind, client } of clients()) {
      const model = await client.models.get(v1);
      expect(model, kind).toMatchObject({
        status: 'suspended',
        approvedUnder: { policyId, policyVersion: 1 },
        suspension: { since, until, reason, lapsed: false },
      });
      expect(model.history.at(-1), kind).toMatchObject({ status: 'suspended', reason, until });
      expect((await client.models.list({ status: 'suspended' })).items.map((m) => m.id)).toEqual([
        v1,
      ]);
      // The family falls back to no current version, and the pending approval's pin breaks.
      expect((await client.families.list())[0]!.currentVersion, kind).toBeNull();
      const { approval } = await client.proposals.get(approvalId.toString());
      expect(approval, kind).toMatchObject({ currentModelId: null, currentMatches: false });
      expect(
        approval!.blockers.map((blocker) => blocker.check),
        kind,
      ).toEqual(['policy-version', 'current-version']);
    }

    // A longer branch without the suspension replaces it.
    await test.chain.test.revert({ id: snapshot });
    await test.chain.test.mine({ blocks: 3 });
    await caughtUp();
    for (const { kind, client } of clients()) {
      const model = await client.models.get(v1);
      expect(model, kind).toMatchObject({ status: 'approved', suspension: null });
      expect(
        model.history.map((entry) => entry.status),
        kind,
      ).toEqual(['candidate', 'approved']);
      expect((await client.families.list())[0]!.currentVersion?.id, kind).toBe(v1);
    }

    // Suspended for good this time, until it lapses and a stranger ends it.
    await suspend(v1);
    await test.chain.advanceTime(maxSuspension);
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect((await client.models.get(v1)).suspension, kind).toMatchObject({
        reason,
        lapsed: true,
      });
    }
    await test.chain.send(test.keys[9]!, {
      address: registry(),
      abi: modelRegistryAbi,
      functionName: 'endLapsedSuspension',
      args: [v1],
    });
    await caughtUp();
    for (const { kind, client } of clients()) {
      const model = await client.models.get(v1);
      expect(model, kind).toMatchObject({ status: 'approved', suspension: null });
      expect(model.history.at(-1), kind).toMatchObject({
        status: 'approved',
        suspensionEnded: 'lapsed',
      });
      expect((await client.families.list())[0]!.currentVersion?.id, kind).toBe(v1);
    }
  });

  it('falls back to the previous version while the current one is suspended, and back when lifted', async () => {
    // v2 meets the tightened policy and is approved over v1, which stays approved.
    await submitResult(test, 4, v2, '0.98', '0.01');
    await test.chain.govern(
      test.keys[0]!,
      [test.keys[0]!],
      [await approvalAction(test.chain, v2)],
      'Approve mail-guard v2 over v1',
    );
    await suspend(v2);
    await caughtUp();
    for (const { kind, client } of clients()) {
      expect((await client.families.list())[0]!.currentVersion?.id, kind).toBe(v1);
      expect((await client.models.get(v2)).status, kind).toBe('suspended');
    }
    await test.chain.send(test.keys[guardianIndex]!, {
      address: registry(),
      abi: modelRegistryAbi,
      functionName: 'liftSuspension',
      args: [v2],
    });
    await caughtUp();
    expect(await read<Hex>('currentVersion', ['mail-guard'])).toBe(v2);
    for (const { kind, client } of clients()) {
      expect((await client.families.list())[0]!.currentVersion?.id, kind).toBe(v2);
      const model = await client.models.get(v2);
      expect(model, kind).toMatchObject({
        status: 'approved',
        suspension: null,
        approvedUnder: { policyId, policyVersion: 2 },
      });
      expect(model.history.at(-1), kind).toMatchObject({
        status: 'approved',
        suspensionEnded: 'lifted',
      });
      expect((await client.models.get(v1)).status, kind).toBe('approved');
    }
  });

  it('shows an approval past its expiry, and a guardian whose term has ended', async () => {
    const { approval } = await clients()[0]!.client.proposals.get(approvalId.toString());
    await test.chain.advanceTime(approval!.expiresAt - Number(await test.chain.now()) + 1);
    await caughtUp();
    for (const { kind, client } of clients()) {
      const { approval: expired } = await client.proposals.get(approvalId.toString());
      expect(expired, kind).toMatchObject({ window: 'expired', canExecute: false });
      expect(expired!.blockers[0], kind).toMatchObject({
        check: 'window',
        error: 'ModelRegistryApprovalOutsideWindow',
      });
    }

    const { guardianTermEnd } = await clients()[0]!.client.governance();
    await test.chain.advanceTime(guardianTermEnd! - Number(await test.chain.now()) + 1);
    await caughtUp();
    const guardianNow = await test.chain.public.readContract({
      address: test.deployment.contracts.governor,
      abi: charterGovernorAbi,
      functionName: 'proposalGuardian',
    });
    expect(guardianNow).toBe(zeroAddress);
    for (const { kind, client } of clients()) {
      expect(await client.governance(), kind).toMatchObject({
        proposalGuardian: null,
        appointedGuardian: test.address(guardianIndex),
      });
    }
  });

  it('leaves each database equal to a fresh index of the same chain', async () => {
    for (const follower of followers) {
      const fresh = await start(follower.kind);
      await fresh.indexer.ready();
      await waitForHead(test, fresh.indexer.status);
      await fresh.indexer.stop();
      await follower.indexer.stop();
      const followed = await dumpDatabase(follower.database.options);
      const reference = await dumpDatabase(fresh.database.options);
      expect(followed.checkpoint, follower.kind).toEqual(reference.checkpoint);
      expect(followed.tables, follower.kind).toEqual(reference.tables);
      // The suspensions of v1 and v2 are there; the one the reorg removed is not.
      const statuses = (followed.tables.model_events as { status: string }[]).map((e) => e.status);
      expect(statuses.filter((status) => status === 'suspended')).toHaveLength(2);
    }
  });
});
