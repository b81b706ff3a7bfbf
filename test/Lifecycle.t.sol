// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";

import {CharterGovernor} from "../contracts/src/CharterGovernor.sol";
import {EvidenceRegistry} from "../contracts/src/EvidenceRegistry.sol";
import {ModelRegistry} from "../contracts/src/ModelRegistry.sol";
import {PolicyRegistry} from "../contracts/src/PolicyRegistry.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";
import {SampleTree} from "./utils/SampleTree.sol";

/// @dev What colluding evaluators (or one person holding two admitted keys) would do in one transaction:
/// relay their signed passing results and execute the queued approval they make pass.
contract CollusionRelay {
    struct Signed {
        EvidenceRegistry.Submission submission;
        address evaluator;
        uint256 deadline;
        bytes signature;
    }

    function postAndExecute(
        EvidenceRegistry evidence,
        Signed[] calldata results,
        CharterGovernor governor,
        address target,
        bytes calldata approval,
        bytes32 descriptionHash
    ) external {
        for (uint256 i; i < results.length; ++i) {
            evidence.submitResultWithSignature(
                results[i].submission, results[i].evaluator, results[i].deadline, results[i].signature
            );
        }
        address[] memory targets = new address[](1);
        targets[0] = target;
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = approval;
        governor.execute(targets, new uint256[](1), calldatas, descriptionHash);
    }
}

/// @dev The whole loop through the real governor and timelock: evidence, proposal, vote, queue, execute.
contract LifecycleTest is CharterFixture {
    string internal constant DESCRIPTION = "# Approve mail-guard v2\nIt meets mail-safety.";
    bytes internal _approvalOfV2;

    function setUp() public {
        _deploySystem();
        // Suites, evaluators and the policy are themselves set through proposals.
        _governed(
            address(evidence), abi.encodeCall(evidence.admitEvaluator, (evaluator1, "lab one")), "admit 1"
        );
        _governed(
            address(evidence), abi.encodeCall(evidence.admitEvaluator, (evaluator2, "lab two")), "admit 2"
        );
        _governed(
            address(evidence), abi.encodeCall(evidence.admitEvaluator, (evaluator3, "lab three")), "admit 3"
        );
        // Each admitted evaluator bonds the minimum, so that its results count once out of their window.
        _bond(evaluator1, MIN_BOND);
        _bond(evaluator2, MIN_BOND);
        _bond(evaluator3, MIN_BOND);
        bytes32[] memory detection = new bytes32[](2);
        (detection[0], detection[1]) = (ACCURACY, F1);
        bytes32[] memory overblocking = new bytes32[](1);
        overblocking[0] = FALSE_POSITIVE_RATE;
        _governed(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (DETECTION_SUITE, keccak256("d"), detection, "")),
            "suite 1"
        );
        _governed(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (OVERBLOCKING_SUITE, keccak256("h"), overblocking, "")),
            "suite 2"
        );
        _governed(
            address(policies),
            abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, _demoRules(), 2, MAX_EVIDENCE_AGE, "")),
            "policy"
        );
        _governed(
            address(models), abi.encodeCall(models.setFamilyPolicy, ("mail-guard", MAIL_SAFETY)), "family"
        );
        models.register("mail-guard", "v1", MODEL_V1, "file://v1", 0);
        models.register("mail-guard", "v2", MODEL_V2, "file://v2", MODEL_V1);
        _approvalOfV2 = _approvalCall(MODEL_V2);
    }

    function _governed(address target, bytes memory data, string memory description) internal {
        _proposePassQueue(target, data, description);
        _execute(target, data, description);
    }

    function _approval() internal view returns (bytes memory) {
        return _approvalOfV2;
    }

    function test_lifecycle_approvesModelThatMeetsPolicy() public {
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        uint256 proposalId = _proposePassQueue(address(models), _approval(), DESCRIPTION);
        assertEq(uint8(governor.state(proposalId)), uint8(IGovernor.ProposalState.Queued));
        _execute(address(models), _approval(), DESCRIPTION);
        assertEq(uint8(governor.state(proposalId)), uint8(IGovernor.ProposalState.Executed));
        assertTrue(models.isApproved(MODEL_V2));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function test_lifecycle_failsWhenEvidenceMissing() public {
        _submitPassing(evaluator1, MODEL_V2);
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        _expectExecutionFails(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceMissing.selector, 0, DETECTION_SUITE, 1, 2
            )
        );
    }

    function test_lifecycle_failsWhenEvidenceTooOld() public {
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        uint256 submittedAt = block.timestamp;
        // Proposed late enough that the evidence ages out while the approval is still inside its window.
        vm.warp(submittedAt + MAX_EVIDENCE_AGE - 12 days);
        _approvalOfV2 = _approvalCall(MODEL_V2);
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        vm.warp(submittedAt + MAX_EVIDENCE_AGE + 1);
        _expectExecutionFails(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceTooOld.selector,
                0,
                DETECTION_SUITE,
                MAX_EVIDENCE_AGE + 1,
                MAX_EVIDENCE_AGE
            )
        );
    }

    function test_lifecycle_failsWhenEvidenceDisputed() public {
        _submitPassing(evaluator1, MODEL_V2);
        _submitWithSamples(evaluator2, MODEL_V2, DETECTION_SUITE, _values(0.97e18, 0.95e18), HONEST_SAMPLES);
        _submitWithSamples(evaluator2, MODEL_V2, OVERBLOCKING_SUITE, _values(0.02e18), HONEST_SAMPLES);
        _disputeSample(evaluator3, evaluator2, OVERBLOCKING_SUITE, HONEST_SAMPLES, 0);
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        _expectExecutionFails(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceDisputed.selector, 1, OVERBLOCKING_SUITE, evaluator2
            )
        );
    }

    function test_lifecycle_failsWhenBelowThreshold() public {
        _submitPassing(evaluator1, MODEL_V2);
        _submitDemo(evaluator2, MODEL_V2, 0.85e18, 0.95e18, 0.02e18);
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        _expectExecutionFails(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryThresholdNotMet.selector,
                2,
                ACCURACY,
                PolicyRegistry.Comparator.AtLeast,
                0.9e18,
                0.85e18,
                1,
                2
            )
        );
    }

    // ------------------------------------------------------------ the attacks of issue 12, through governance

    /// @dev Two proposals, "first" and "second", proposed, passed and queued side by side; the caller
    /// executes them in the order the attack needs.
    function _proposePassQueueBoth(
        address firstTarget,
        bytes memory first,
        address secondTarget,
        bytes memory second
    ) internal {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(firstTarget, first);
        (address[] memory targets2,, bytes[] memory calldatas2) = _single(secondTarget, second);
        vm.startPrank(alice);
        uint256 firstId = governor.propose(targets, values, calldatas, "first");
        uint256 secondId = governor.propose(targets2, values, calldatas2, "second");
        vm.stopPrank();
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        for (uint256 i; i < 2; ++i) {
            uint256 id = i == 0 ? firstId : secondId;
            vm.prank(alice);
            governor.castVote(id, 1);
            vm.prank(bob);
            governor.castVote(id, 1);
        }
        vm.warp(governor.proposalDeadline(secondId) + 1);
        governor.queue(targets, values, calldatas, keccak256("first"));
        governor.queue(targets2, values, calldatas2, keccak256("second"));
        vm.warp(block.timestamp + TIMELOCK_DELAY);
    }

    function _approveThroughGovernance(bytes32 modelId, string memory description) internal {
        _governed(address(models), _approvalCall(modelId), description);
    }

    /// @dev Hole 1: a proposer names a lax test policy, which the evidence meets, instead of the family's.
    function test_lifecycle_attack_laxPolicyNamed() public {
        bytes32 lax = bytes32("lax-test-policy");
        PolicyRegistry.Rule[] memory rules = new PolicyRegistry.Rule[](1);
        rules[0] = PolicyRegistry.Rule(DETECTION_SUITE, F1, PolicyRegistry.Comparator.AtLeast, 0.1e18);
        _governed(
            address(policies),
            abi.encodeCall(policies.setPolicy, (lax, rules, 1, MAX_EVIDENCE_AGE, "")),
            "lax"
        );
        _submitPassing(evaluator1, MODEL_V2);
        bytes memory underLaxPolicy = abi.encodeCall(
            models.approve, (MODEL_V2, lax, 1, bytes32(0), uint48(block.timestamp) + APPROVAL_WINDOW)
        );
        _proposePassQueue(address(models), underLaxPolicy, DESCRIPTION);
        (bool metLax,,) = policies.checkPolicy(MODEL_V2, lax);
        assertTrue(metLax);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryPolicyMismatch.selector, MAIL_GUARD, MAIL_SAFETY, lax
            )
        );
        _execute(address(models), underLaxPolicy, DESCRIPTION);
        assertFalse(models.isApproved(MODEL_V2));
    }

    /// @dev Hole 2: a loosening passed during the vote would apply to an approval voted under the stricter rule.
    function test_lifecycle_attack_policyLoosenedDuringVote() public {
        _submitPassing(evaluator1, MODEL_V2); // one evaluator: meets the loosened policy, not the voted one
        bytes memory approval = _approvalCall(MODEL_V2);
        bytes memory loosening =
            abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, _demoRules(), 1, MAX_EVIDENCE_AGE, "looser"));
        _proposePassQueueBoth(address(models), approval, address(policies), loosening);
        _execute(address(policies), loosening, "second");
        assertEq(policies.currentVersion(MAIL_SAFETY), 2);
        (bool metLoosened,,) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertTrue(metLoosened);

        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryPolicyVersionChanged.selector, MAIL_SAFETY, 1, 2
            )
        );
        _execute(address(models), approval, "first");
        assertFalse(models.isApproved(MODEL_V2));
    }

    /// @dev Hole 3: a queued approval of v1 that failed at execution, executed later once evidence exists,
    /// would replace the newer v2 as current; inside its window it meets a changed current version, after
    /// it the window has closed.
    function test_lifecycle_attack_staleQueuedApprovalExecutedLater() public {
        bytes memory staleApproval = _approvalCall(MODEL_V1);
        uint48 expiresAt = uint48(block.timestamp) + APPROVAL_WINDOW;
        _proposePassQueue(address(models), staleApproval, "approve v1");
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceMissing.selector, 0, DETECTION_SUITE, 0, 2
            )
        );
        _execute(address(models), staleApproval, "approve v1");

        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _approveThroughGovernance(MODEL_V2, "approve v2");
        _submitPassing(evaluator1, MODEL_V1); // evidence for v1 arrives at last
        _submitPassing(evaluator2, MODEL_V1);
        assertLt(block.timestamp, expiresAt);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryCurrentVersionChanged.selector, MAIL_GUARD, bytes32(0), MODEL_V2
            )
        );
        _execute(address(models), staleApproval, "approve v1");

        vm.warp(block.timestamp + 120 days);
        _submitDemo(evaluator1, MODEL_V1, 0.98e18, 0.96e18, 0.01e18);
        _submitDemo(evaluator2, MODEL_V1, 0.98e18, 0.96e18, 0.01e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryApprovalOutsideWindow.selector,
                expiresAt - APPROVAL_WINDOW,
                expiresAt
            )
        );
        _execute(address(models), staleApproval, "approve v1");
        assertFalse(models.isApproved(MODEL_V1));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    /// @dev Hole 3 and 8: a re-approval of deprecated v1, queued before v2 was approved, would put v1 back
    /// over v2.
    function test_lifecycle_attack_reapprovalOfDeprecatedBehindNewerCurrent() public {
        _submitPassing(evaluator1, MODEL_V1);
        _submitPassing(evaluator2, MODEL_V1);
        _approveThroughGovernance(MODEL_V1, "approve v1");
        _governed(address(models), abi.encodeCall(models.deprecate, (MODEL_V1)), "deprecate v1");
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        bytes memory reapproval = _approvalCall(MODEL_V1);
        bytes memory approvalOfV2 = _approvalCall(MODEL_V2);
        _proposePassQueueBoth(address(models), reapproval, address(models), approvalOfV2);
        _execute(address(models), approvalOfV2, "second");
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryCurrentVersionChanged.selector, MAIL_GUARD, bytes32(0), MODEL_V2
            )
        );
        _execute(address(models), reapproval, "first");
        assertEq(uint8(models.statusOf(MODEL_V1)), uint8(ModelRegistry.Status.Deprecated));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function _approveBoth() internal {
        _submitPassing(evaluator1, MODEL_V1);
        _submitPassing(evaluator2, MODEL_V1);
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _approveThroughGovernance(MODEL_V1, "approve v1");
        _approveThroughGovernance(MODEL_V2, "approve v2");
        assertTrue(models.isApproved(MODEL_V1));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    /// @dev Hole 5: the guardian stops the current version at once; the family falls back to v1 until the
    /// suspension lapses, when anyone may end it.
    function test_lifecycle_attack_suspensionFallsBackThenLapses() public {
        _approveBoth();
        vm.prank(guardian);
        models.suspend(MODEL_V2, "jailbreak in the wild");
        assertFalse(models.isApproved(MODEL_V2));
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
        vm.warp(block.timestamp + MAX_SUSPENSION);
        vm.prank(carol);
        models.endLapsedSuspension(MODEL_V2);
        assertTrue(models.isApproved(MODEL_V2));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    /// @dev Hole 5: governance confirms the guardian's brake by revoking before the suspension lapses.
    function test_lifecycle_suspensionConfirmedByRevocation() public {
        _approveBoth();
        vm.prank(guardian);
        models.suspend(MODEL_V2, "jailbreak in the wild");
        _governed(address(models), abi.encodeCall(models.revoke, (MODEL_V2, "confirmed")), "revoke v2");
        vm.warp(block.timestamp + MAX_SUSPENSION);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryInvalidTransition.selector,
                MODEL_V2,
                ModelRegistry.Status.Revoked,
                ModelRegistry.Status.Approved
            )
        );
        models.endLapsedSuspension(MODEL_V2);
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
    }

    /// @dev Hole 6: a stranger squats the family's next label; governance hands the family to a new maintainer.
    function test_lifecycle_attack_squatFamilyLabel() public {
        bytes32 junk = keccak256("junk");
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryNotMaintainer.selector, MAIL_GUARD, carol)
        );
        vm.prank(carol);
        models.register("mail-guard", "v3", junk, "", MODEL_V2);
        _governed(
            address(models), abi.encodeCall(models.setMaintainer, ("mail-guard", erin)), "erin maintains"
        );
        vm.prank(erin);
        models.register("mail-guard", "v3", keccak256("mail-guard v3 artifact"), "file://v3", MODEL_V2);
        assertEq(models.family(MAIL_GUARD).maintainer, erin);
        assertEq(uint8(models.statusOf(junk)), uint8(ModelRegistry.Status.Unknown));
    }

    // ------------------------------------------------------------ the attacks of issue 13: the evidence game

    uint256 internal constant LIAR_SAMPLES = 0x1a;
    uint256 internal constant HONEST_SAMPLES = 0x4e;
    address internal watcher = makeAddr("watcher");

    /// @dev Posts a result committing to the four samples drawn from `samplesSeed`.
    function _submitWithSamples(
        address evaluator,
        bytes32 modelId,
        bytes32 suiteId,
        uint256[] memory values,
        uint256 samplesSeed
    ) internal {
        EvidenceRegistry.Submission memory s = _submission(
            modelId, suiteId, values, keccak256(abi.encode(evaluator, suiteId, values))
        );
        s.samplesRoot = SampleTree.root(samplesSeed);
        vm.prank(evaluator);
        evidence.submitResult(s);
    }

    /// @dev `disputer` names sample `index` of `evaluator`'s result on `suiteId`, with its proof, the outcome it
    /// obtained and its own report, and pays the dispute bond.
    function _disputeSample(
        address disputer,
        address evaluator,
        bytes32 suiteId,
        uint256 samplesSeed,
        uint256 index
    ) internal returns (uint256 disputeId) {
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, suiteId, evaluator);
        EvidenceRegistry.Sample memory committed = SampleTree.sample(samplesSeed, index);
        uint256 bond = DISPUTE_BOND;
        vm.deal(disputer, disputer.balance + bond);
        vm.prank(disputer);
        disputeId = evidence.dispute{value: bond}(
            MODEL_V2,
            suiteId,
            evaluator,
            live.reportDigest,
            committed,
            SampleTree.proof(samplesSeed, index),
            SampleTree.claimAgainst(committed, "ipfs://disputer-report")
        );
    }

    /// @dev An honest evaluator's passing results, and a liar's inflated ones (its detection result commits to
    /// samples whose outcomes it altered); the second honest evaluator has not posted yet.
    function _honestAndLiarPost() internal {
        _submitPassing(evaluator1, MODEL_V2);
        _submitWithSamples(evaluator3, MODEL_V2, DETECTION_SUITE, _values(0.97e18, 0.95e18), LIAR_SAMPLES);
        _submitWithSamples(evaluator3, MODEL_V2, OVERBLOCKING_SUITE, _values(0.01e18), LIAR_SAMPLES);
    }

    /// @dev Hole 1 of issue 13: colluding evaluators post passing results and execute the queued approval in
    /// the same transaction, before anyone could look. The results are inside their challenge window.
    function test_lifecycle_attack_collusionPostsAndExecutesInOneTransaction() public {
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        CollusionRelay.Signed[] memory results = new CollusionRelay.Signed[](4);
        results[0] = _signedPassing(evaluatorKey1, DETECTION_SUITE, 0);
        results[1] = _signedPassing(evaluatorKey1, OVERBLOCKING_SUITE, 1);
        results[2] = _signedPassing(evaluatorKey2, DETECTION_SUITE, 0);
        results[3] = _signedPassing(evaluatorKey2, OVERBLOCKING_SUITE, 1);
        uint256 countsFrom = block.timestamp + CHALLENGE_PERIOD;
        bytes memory inWindow = abi.encodeWithSelector(
            PolicyRegistry.PolicyRegistryEvidenceInChallengeWindow.selector,
            0,
            DETECTION_SUITE,
            evaluator1,
            countsFrom
        );

        CollusionRelay relay = new CollusionRelay();
        vm.expectRevert(inWindow);
        relay.postAndExecute(
            evidence, results, governor, address(models), _approval(), keccak256(bytes(DESCRIPTION))
        );
        assertFalse(models.isApproved(MODEL_V2));

        // The same in separate transactions of one block.
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _expectExecutionFails(inWindow);

        // Once the window has passed with no dispute, the same approval executes.
        vm.warp(countsFrom);
        _execute(address(models), _approval(), DESCRIPTION);
        assertTrue(models.isApproved(MODEL_V2));
    }

    /// @dev Hole 2 of issue 13: an outsider disputes the liar's result inside its window, naming a sample with
    /// its proof; the approval that the liar's result would have carried cannot execute.
    function test_lifecycle_attack_liarDisputedByOutsiderBlocksApproval() public {
        _honestAndLiarPost();
        uint256 disputeId = _disputeSample(watcher, evaluator3, DETECTION_SUITE, LIAR_SAMPLES, 2);
        assertEq(disputeId, 1);
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator3);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Disputed));
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        _expectExecutionFails(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceDisputed.selector, 0, DETECTION_SUITE, evaluator3
            )
        );
    }

    /// @dev Governance upholds the outsider's dispute through a proposal: the liar's whole stake is slashed,
    /// the disputer gets its share and its bond back, the treasury the rest; the struck result never counts.
    function test_lifecycle_attack_liarSlashedWhenGovernanceUpholds() public {
        _honestAndLiarPost();
        uint256 disputeId = _disputeSample(watcher, evaluator3, DETECTION_SUITE, LIAR_SAMPLES, 2);
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        uint256 stake = MIN_BOND;
        uint256 toWatcher = stake * DISPUTER_SHARE_BPS / 10_000;
        uint256 treasuryBefore = address(timelock).balance;

        _governed(address(evidence), abi.encodeCall(evidence.resolveDispute, (disputeId, true)), "uphold");

        (uint256 bonded, uint256 unbonding,,) = evidence.stakeOf(evaluator3);
        assertEq(bonded + unbonding, 0, "liar slashed");
        assertEq(evidence.credits(watcher), toWatcher + DISPUTE_BOND, "disputer credited");
        assertEq(evidence.credits(address(timelock)), stake - toWatcher, "treasury credited");
        assertEq(uint8(evidence.disputeOf(disputeId).status), uint8(EvidenceRegistry.DisputeStatus.Upheld));
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator3);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Struck));

        evidence.withdrawCredit(watcher);
        evidence.withdrawCredit(address(timelock));
        assertEq(watcher.balance, toWatcher + DISPUTE_BOND);
        assertEq(address(timelock).balance, treasuryBefore + stake - toWatcher);
        _expectExecutionFails(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceDisputed.selector, 0, DETECTION_SUITE, evaluator3
            )
        );
    }

    /// @dev Hole 3 of issue 13: a griefer disputes an honest result with a wrong claim. The resolver that
    /// governance appointed rejects it: the griefer's bond goes to the evaluator whose result it froze, it may
    /// not dispute that result again, and the honest result counts once its window has passed.
    function test_lifecycle_attack_grieferLosesBondAndIsBarred() public {
        address council = makeAddr("security council");
        address griefer = makeAddr("griefer");
        _governed(address(evidence), abi.encodeCall(evidence.setResolver, (council)), "resolver");
        _submitWithSamples(evaluator1, MODEL_V2, DETECTION_SUITE, _values(0.97e18, 0.95e18), HONEST_SAMPLES);
        _submitWithSamples(evaluator1, MODEL_V2, OVERBLOCKING_SUITE, _values(0.02e18), HONEST_SAMPLES);
        _submitPassing(evaluator2, MODEL_V2);
        uint256 disputeId = _disputeSample(griefer, evaluator1, DETECTION_SUITE, HONEST_SAMPLES, 1);

        vm.prank(council);
        evidence.resolveDispute(disputeId, false);
        assertEq(evidence.credits(evaluator1), DISPUTE_BOND, "bond to the evaluator");
        assertEq(uint8(evidence.disputeOf(disputeId).status), uint8(EvidenceRegistry.DisputeStatus.Rejected));

        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryDisputerBarred.selector, id, griefer)
        );
        this.disputeAs(griefer, evaluator1, HONEST_SAMPLES, 3);

        _approveThroughGovernance(MODEL_V2, DESCRIPTION);
        assertTrue(models.isApproved(MODEL_V2));
    }

    /// @dev An external entry, so that expectRevert applies to the dispute and not to the helper's reads.
    function disputeAs(address disputer, address evaluator, uint256 samplesSeed, uint256 index) external {
        _disputeSample(disputer, evaluator, DETECTION_SUITE, samplesSeed, index);
    }

    /// @dev A passing result for MODEL_V2 on `suiteId`, signed with `key` at `nonce` for anyone to relay.
    function _signedPassing(uint256 key, bytes32 suiteId, uint256 nonce)
        internal
        view
        returns (CollusionRelay.Signed memory signed)
    {
        signed.submission = suiteId == DETECTION_SUITE
            ? _submission(MODEL_V2, suiteId, _values(0.97e18, 0.95e18), keccak256(abi.encode(key, suiteId)))
            : _submission(MODEL_V2, suiteId, _values(0.02e18), keccak256(abi.encode(key, suiteId)));
        signed.evaluator = vm.addr(key);
        signed.deadline = block.timestamp;
        signed.signature = _signSubmission(key, signed.submission, nonce, signed.deadline);
    }

    function _expectExecutionFails(bytes memory policyError) internal {
        vm.expectRevert(policyError);
        _execute(address(models), _approval(), DESCRIPTION);
        assertFalse(models.isApproved(MODEL_V2));
    }
}
