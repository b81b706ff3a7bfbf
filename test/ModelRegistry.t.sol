// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governed} from "../contracts/src/Governed.sol";
import {ModelRegistry} from "../contracts/src/ModelRegistry.sol";
import {PolicyRegistry} from "../contracts/src/PolicyRegistry.sol";
import {IProposalGuardian} from "../contracts/src/interfaces/IProposalGuardian.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";

/// @dev Every external function, with reverts checked by selector and arguments. Tests named `attack`
/// replay a hole of issue 12 against the registry: each succeeded before the fix and is refused now.
contract ModelRegistryTest is CharterFixture {
    bytes32 internal constant LAX = bytes32("lax-test-policy");
    bytes32 internal constant MODEL_V3 = keccak256("mail-guard v3 artifact");

    function setUp() public {
        _deploySystem();
        _setUpDemo();
        _submitPassing(evaluator1, MODEL_V1);
        _submitPassing(evaluator2, MODEL_V1);
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _passChallengeWindow();
    }

    function _approve(bytes32 modelId) internal {
        _asGovernance(address(models), _approvalCall(modelId));
    }

    /// @dev Builds the approval first, so that the expected revert applies to the approval itself.
    function _expectApprovalReverts(bytes32 modelId, bytes memory reason) internal {
        bytes memory call = _approvalCall(modelId);
        vm.expectRevert(reason);
        _asGovernance(address(models), call);
    }

    function _deprecate(bytes32 modelId) internal {
        _asGovernance(address(models), abi.encodeCall(models.deprecate, (modelId)));
    }

    function _suspend(bytes32 modelId) internal {
        vm.prank(guardian);
        models.suspend(modelId, "jailbreak in the wild");
    }

    /// @dev A policy anyone's evidence meets: one evaluator, f1 of at least 0.1.
    function _setLaxPolicy() internal {
        PolicyRegistry.Rule[] memory rules = new PolicyRegistry.Rule[](1);
        rules[0] = PolicyRegistry.Rule(DETECTION_SUITE, F1, PolicyRegistry.Comparator.AtLeast, 0.1e18);
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (LAX, rules, 1, MAX_EVIDENCE_AGE, "lax"))
        );
    }

    function _invalidTransition(bytes32 modelId, ModelRegistry.Status from, ModelRegistry.Status to)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ModelRegistry.ModelRegistryInvalidTransition.selector, modelId, from, to
        );
    }

    function _assertStatus(bytes32 modelId, ModelRegistry.Status expected) internal view {
        assertEq(uint8(models.statusOf(modelId)), uint8(expected));
        assertEq(models.isApproved(modelId), expected == ModelRegistry.Status.Approved);
    }

    // ------------------------------------------------------------ register and maintainers (hole 6)

    function test_register_recordsCandidate() public {
        bytes32 digest = keccak256("v3");
        models.setMaintainer("mail-guard", carol);
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelRegistered(
            digest, MAIL_GUARD, "mail-guard", "v3", "file://v3", MODEL_V2, carol
        );
        vm.prank(carol);
        assertEq(models.register("mail-guard", "v3", digest, "file://v3", MODEL_V2), digest);

        ModelRegistry.Model memory m = models.model(digest);
        assertEq(m.familyId, MAIL_GUARD);
        assertEq(m.parentId, MODEL_V2);
        assertEq(m.registrant, carol);
        assertEq(m.registeredAt, block.timestamp);
        assertEq(uint8(m.status), uint8(ModelRegistry.Status.Candidate));
        _assertStatus(digest, ModelRegistry.Status.Candidate);
    }

    function test_register_firstRegistrantBecomesMaintainer() public {
        bytes32 familyId = keccak256("spam-filter");
        vm.expectEmit(address(models));
        emit ModelRegistry.MaintainerSet(familyId, address(0), dave);
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelRegistered(keccak256("sf1"), familyId, "spam-filter", "v1", "", 0, dave);
        vm.prank(dave);
        models.register("spam-filter", "v1", keccak256("sf1"), "", 0);
        ModelRegistry.Family memory family = models.family(familyId);
        assertEq(family.maintainer, dave);
        assertEq(family.policyId, 0);
        assertEq(family.currentVersion, 0);
    }

    /// @dev Hole 6: a stranger claimed the next labels of someone else's family with junk digests, forever.
    function test_register_attack_strangerSquatsLabelsOfAFamily() public {
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryNotMaintainer.selector, MAIL_GUARD, carol)
        );
        vm.prank(carol);
        models.register("mail-guard", "v3", keccak256("junk"), "", MODEL_V2);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryNotMaintainer.selector, MAIL_GUARD, carol)
        );
        vm.prank(carol);
        models.register("mail-guard", "v4", keccak256("more junk"), "", 0);
        assertEq(uint8(models.statusOf(keccak256("junk"))), uint8(ModelRegistry.Status.Unknown));
    }

    /// @dev Hole 6: governance names a family's maintainer before anyone registers it, so nobody can squat it.
    function test_register_attack_squatsFamilyGovernanceReserved() public {
        bytes32 familyId = keccak256("phish-guard");
        vm.expectEmit(address(models));
        emit ModelRegistry.MaintainerSet(familyId, address(0), erin);
        _asGovernance(address(models), abi.encodeCall(models.setMaintainer, ("phish-guard", erin)));
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryNotMaintainer.selector, familyId, carol)
        );
        vm.prank(carol);
        models.register("phish-guard", "v1", keccak256("squat"), "", 0);
        vm.prank(erin);
        models.register("phish-guard", "v1", keccak256("pg1"), "", 0);
        assertEq(models.model(keccak256("pg1")).registrant, erin);
    }

    function test_register_governanceAddsVersions() public {
        _asGovernance(
            address(models), abi.encodeCall(models.register, ("mail-guard", "v3", MODEL_V3, "", MODEL_V2))
        );
        assertEq(models.model(MODEL_V3).registrant, address(timelock));
        assertEq(models.family(MAIL_GUARD).maintainer, address(this));
    }

    function test_register_revertsOnDigestTwice() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryDigestTaken.selector, MODEL_V1));
        models.register("other-family", "v1", MODEL_V1, "", 0);
    }

    function test_register_revertsOnVersionLabelTwice() public {
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryVersionTaken.selector, "mail-guard", "v2")
        );
        models.register("mail-guard", "v2", keccak256("another artifact"), "", 0);
    }

    function test_register_revertsOnInvalidModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidModel.selector, bytes32(0)));
        models.register("mail-guard", "v3", 0, "", 0);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidModel.selector, keccak256("a"))
        );
        models.register("", "v3", keccak256("a"), "", 0);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidModel.selector, keccak256("a"))
        );
        models.register("mail-guard", "", keccak256("a"), "", 0);
    }

    function test_register_revertsOnUnknownParent() public {
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryUnknownModel.selector, keccak256("nope"))
        );
        models.register("mail-guard", "v3", keccak256("a"), "", keccak256("nope"));
    }

    /// @dev Hole 6: a version may not claim descent from another family's version.
    function test_register_attack_parentFromOtherFamily() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryParentFamilyMismatch.selector, MODEL_V1, keccak256("other")
            )
        );
        models.register("other", "v1", keccak256("a"), "", MODEL_V1);
    }

    function test_setMaintainer_byMaintainerTransfersTheFamily() public {
        vm.expectEmit(address(models));
        emit ModelRegistry.MaintainerSet(MAIL_GUARD, address(this), erin);
        models.setMaintainer("mail-guard", erin);
        assertEq(models.family(MAIL_GUARD).maintainer, erin);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryNotMaintainer.selector, MAIL_GUARD, address(this)
            )
        );
        models.register("mail-guard", "v3", MODEL_V3, "", 0);
        vm.prank(erin);
        models.register("mail-guard", "v3", MODEL_V3, "", MODEL_V2);
    }

    function test_setMaintainer_byGovernance() public {
        _asGovernance(address(models), abi.encodeCall(models.setMaintainer, ("mail-guard", dave)));
        assertEq(models.family(MAIL_GUARD).maintainer, dave);
    }

    function test_setMaintainer_revertsForStranger() public {
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryNotMaintainer.selector, MAIL_GUARD, carol)
        );
        vm.prank(carol);
        models.setMaintainer("mail-guard", carol);
    }

    function test_setMaintainer_revertsOnZero() public {
        vm.expectRevert(Governed.GovernedZeroAddress.selector);
        models.setMaintainer("mail-guard", address(0));
    }

    // ------------------------------------------------------------ family policy (hole 1)

    function test_setFamilyPolicy_bindsTheFamily() public {
        _setLaxPolicy();
        vm.expectEmit(address(models));
        emit ModelRegistry.FamilyPolicySet(MAIL_GUARD, "mail-guard", MAIL_SAFETY, LAX);
        _asGovernance(address(models), abi.encodeCall(models.setFamilyPolicy, ("mail-guard", LAX)));
        assertEq(models.family(MAIL_GUARD).policyId, LAX);
    }

    function test_setFamilyPolicy_revertsOnUnknownPolicy() public {
        vm.expectRevert(abi.encodeWithSelector(PolicyRegistry.PolicyRegistryUnknownPolicy.selector, LAX));
        _asGovernance(address(models), abi.encodeCall(models.setFamilyPolicy, ("mail-guard", LAX)));
    }

    function test_setFamilyPolicy_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, address(this)));
        models.setFamilyPolicy("mail-guard", MAIL_SAFETY);
    }

    // ------------------------------------------------------------ approve

    function test_approve_setsStatusAndCurrentVersion() public {
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelApproved(MODEL_V2, MAIL_SAFETY, 1);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, 0, MODEL_V2);
        _approve(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Approved);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
        assertEq(models.family(MAIL_GUARD).currentVersion, MODEL_V2);
    }

    /// @dev Hole 1: the proposer named a lax test policy that the evidence meets, instead of the family's.
    function test_approve_attack_laxPolicyNamed() public {
        _setLaxPolicy();
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryPolicyMismatch.selector, MAIL_GUARD, MAIL_SAFETY, LAX
            )
        );
        _asGovernance(
            address(models),
            abi.encodeCall(models.approve, (MODEL_V1, LAX, 1, bytes32(0), uint48(block.timestamp)))
        );
        (bool met,,) = policies.checkPolicy(MODEL_V1, LAX);
        assertTrue(met);
        _assertStatus(MODEL_V1, ModelRegistry.Status.Candidate);
    }

    /// @dev Hole 1: a family nobody bound to a policy cannot be approved under any.
    function test_approve_revertsWithoutFamilyPolicy() public {
        bytes32 familyId = keccak256("unbound");
        models.register("unbound", "v1", keccak256("u1"), "", 0);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryNoFamilyPolicy.selector, familyId));
        _asGovernance(
            address(models),
            abi.encodeCall(
                models.approve, (keccak256("u1"), MAIL_SAFETY, 1, bytes32(0), uint48(block.timestamp))
            )
        );
    }

    /// @dev Hole 2: a loosening passed while the approval was being voted applied to it at execution.
    function test_approve_attack_policyLoosenedDuringVote() public {
        bytes memory votedUnderStrictPolicy = _approvalCall(MODEL_V2);
        _setDemoPolicy(1); // the loosening: one evaluator suffices
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryPolicyVersionChanged.selector, MAIL_SAFETY, 1, 2
            )
        );
        _asGovernance(address(models), votedUnderStrictPolicy);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Candidate);
        _approve(MODEL_V2); // a proposal voted under version 2 goes through
        assertTrue(models.isApproved(MODEL_V2));
    }

    /// @dev Hole 3: an approval of v1 voted when the family had no current version, left queued, replaced
    /// the newer v2 as current when executed later.
    function test_approve_attack_staleApprovalReplacesNewerCurrent() public {
        bytes memory staleApprovalOfV1 = _approvalCall(MODEL_V1);
        _approve(MODEL_V2);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryCurrentVersionChanged.selector, MAIL_GUARD, bytes32(0), MODEL_V2
            )
        );
        _asGovernance(address(models), staleApprovalOfV1);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
        _assertStatus(MODEL_V1, ModelRegistry.Status.Candidate);
    }

    /// @dev Hole 3 and 8: a queued re-approval of deprecated v1 would have put it back over the newer v2.
    function test_approve_attack_reapprovalOfDeprecatedBehindNewerCurrent() public {
        _approve(MODEL_V1);
        _deprecate(MODEL_V1);
        bytes memory queuedReapproval = _approvalCall(MODEL_V1);
        _approve(MODEL_V2);
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryCurrentVersionChanged.selector, MAIL_GUARD, bytes32(0), MODEL_V2
            )
        );
        _asGovernance(address(models), queuedReapproval);
        _assertStatus(MODEL_V1, ModelRegistry.Status.Deprecated);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    /// @dev Hole 3: an approval executes only inside its window; months later it has expired.
    function test_approve_attack_expiredApprovalExecutedLater() public {
        bytes memory approval = _approvalCall(MODEL_V2);
        uint48 expiresAt = uint48(block.timestamp) + APPROVAL_WINDOW;
        vm.warp(block.timestamp + 180 days);
        _submitDemo(evaluator1, MODEL_V2, 0.98e18, 0.96e18, 0.01e18); // fresh evidence, months later
        _submitDemo(evaluator2, MODEL_V2, 0.98e18, 0.96e18, 0.01e18);
        _passChallengeWindow();
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryApprovalOutsideWindow.selector,
                expiresAt - APPROVAL_WINDOW,
                expiresAt
            )
        );
        _asGovernance(address(models), approval);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Candidate);
    }

    function test_approve_revertsBeforeWindowOpens() public {
        uint48 expiresAt = uint48(block.timestamp) + APPROVAL_WINDOW + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryApprovalOutsideWindow.selector,
                expiresAt - APPROVAL_WINDOW,
                expiresAt
            )
        );
        _asGovernance(
            address(models), abi.encodeCall(models.approve, (MODEL_V2, MAIL_SAFETY, 1, bytes32(0), expiresAt))
        );
    }

    function test_approve_executesAtEitherEndOfWindow() public {
        uint48 expiresAt = uint48(block.timestamp) + APPROVAL_WINDOW;
        _asGovernance(
            address(models), abi.encodeCall(models.approve, (MODEL_V1, MAIL_SAFETY, 1, bytes32(0), expiresAt))
        );
        expiresAt = uint48(block.timestamp);
        _asGovernance(
            address(models), abi.encodeCall(models.approve, (MODEL_V2, MAIL_SAFETY, 1, MODEL_V1, expiresAt))
        );
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function test_approve_revertsWithFailingRule() public {
        _submitDemo(evaluator1, MODEL_V1, 0.8e18, 0.7e18, 0.3e18);
        _submitDemo(evaluator2, MODEL_V1, 0.81e18, 0.71e18, 0.31e18);
        _passChallengeWindow();
        _expectApprovalReverts(
            MODEL_V1,
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryThresholdNotMet.selector,
                0,
                F1,
                PolicyRegistry.Comparator.AtLeast,
                0.9e18,
                0.71e18,
                0,
                2
            )
        );
        _assertStatus(MODEL_V1, ModelRegistry.Status.Candidate);
    }

    function test_approve_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, alice));
        vm.prank(alice);
        models.approve(MODEL_V2, MAIL_SAFETY, 1, 0, uint48(block.timestamp));
    }

    function test_approve_revertsFromApprovedOrRevokedOrUnknownOrSuspended() public {
        _approve(MODEL_V2);
        _expectApprovalReverts(
            MODEL_V2,
            _invalidTransition(MODEL_V2, ModelRegistry.Status.Approved, ModelRegistry.Status.Approved)
        );
        _expectApprovalReverts(
            keccak256("x"),
            _invalidTransition(keccak256("x"), ModelRegistry.Status.Unknown, ModelRegistry.Status.Approved)
        );
        _suspend(MODEL_V2);
        _expectApprovalReverts(
            MODEL_V2,
            _invalidTransition(MODEL_V2, ModelRegistry.Status.Suspended, ModelRegistry.Status.Approved)
        );
    }

    function test_approve_reapprovesDeprecatedVersion() public {
        _approve(MODEL_V2);
        _deprecate(MODEL_V2);
        _approve(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Approved);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    /// @dev Hole 8: approving v2 leaves v1 approved (both usable) and makes v2 current.
    function test_approve_newerVersionLeavesOlderApproved() public {
        _approve(MODEL_V1);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V1, MODEL_V2);
        _approve(MODEL_V2);
        _assertStatus(MODEL_V1, ModelRegistry.Status.Approved);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Approved);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
        bytes32[] memory history = models.approvalHistory(MAIL_GUARD);
        assertEq(history.length, 2);
        (bytes32 first, bytes32 second) = (history[0], history[1]);
        assertEq(first, MODEL_V1);
        assertEq(second, MODEL_V2);
    }

    /// @dev Re-approving an older version on purpose (the proposal names the newer current one) makes it current.
    function test_approve_olderVersionOnPurposeBecomesCurrent() public {
        _approve(MODEL_V1);
        _deprecate(MODEL_V1);
        _approve(MODEL_V2);
        _approve(MODEL_V1);
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
        _deprecate(MODEL_V1);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    // ------------------------------------------------------------ deprecate and revoke (hole 8)

    /// @dev Hole 8: deprecating the current v2 set the family's current version to none while v1 stayed
    /// approved; now the current version falls back to v1.
    function test_deprecate_attack_currentFallsBackToPreviousApproved() public {
        _approve(MODEL_V1);
        _approve(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelDeprecated(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V2, MODEL_V1);
        _deprecate(MODEL_V2);
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
        assertTrue(models.isApproved(MODEL_V1));
        assertEq(models.approvalHistory(MAIL_GUARD).length, 1);
    }

    function test_deprecate_clearsCurrentVersionWhenNoneLeft() public {
        _approve(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelDeprecated(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V2, 0);
        _deprecate(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Deprecated);
        assertEq(models.currentVersion("mail-guard"), 0);
        assertEq(models.approvalHistory(MAIL_GUARD).length, 0);
    }

    function test_deprecate_olderVersionKeepsCurrent() public {
        _approve(MODEL_V1);
        _approve(MODEL_V2);
        vm.recordLogs();
        _deprecate(MODEL_V1);
        assertEq(vm.getRecordedLogs().length, 1); // ModelDeprecated, no CurrentVersionSet
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
        _deprecate(MODEL_V2); // pops both entries: neither is approved
        assertEq(models.currentVersion("mail-guard"), 0);
        assertEq(models.approvalHistory(MAIL_GUARD).length, 0);
    }

    function test_deprecate_revertsUnlessApprovedOrSuspended() public {
        vm.expectRevert(
            _invalidTransition(MODEL_V1, ModelRegistry.Status.Candidate, ModelRegistry.Status.Deprecated)
        );
        _deprecate(MODEL_V1);
    }

    function test_deprecate_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, bob));
        vm.prank(bob);
        models.deprecate(MODEL_V2);
    }

    function test_revoke_isFinal() public {
        _approve(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelRevoked(MODEL_V2, "leaks training data");
        _asGovernance(address(models), abi.encodeCall(models.revoke, (MODEL_V2, "leaks training data")));
        _assertStatus(MODEL_V2, ModelRegistry.Status.Revoked);
        assertEq(models.currentVersion("mail-guard"), 0);
        _expectApprovalReverts(
            MODEL_V2,
            _invalidTransition(MODEL_V2, ModelRegistry.Status.Revoked, ModelRegistry.Status.Approved)
        );
        vm.expectRevert(
            _invalidTransition(MODEL_V2, ModelRegistry.Status.Revoked, ModelRegistry.Status.Revoked)
        );
        _asGovernance(address(models), abi.encodeCall(models.revoke, (MODEL_V2, "again")));
    }

    function test_revoke_currentFallsBackToPreviousApproved() public {
        _approve(MODEL_V1);
        _approve(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V2, MODEL_V1);
        _asGovernance(address(models), abi.encodeCall(models.revoke, (MODEL_V2, "leaks")));
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
    }

    function test_revoke_candidateKeepsOtherCurrentVersion() public {
        _approve(MODEL_V2);
        _asGovernance(address(models), abi.encodeCall(models.revoke, (MODEL_V1, "superseded")));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function test_revoke_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, bob));
        vm.prank(bob);
        models.revoke(MODEL_V2, "");
    }

    // ------------------------------------------------------------ suspension (hole 5)

    /// @dev Hole 5: stopping a dangerous approved version took a whole governance cycle; the guardian now
    /// suspends it in one transaction, and the family falls back to the previous approved version.
    function test_suspend_attack_guardianBrakesApprovedVersionAtOnce() public {
        _approve(MODEL_V1);
        _approve(MODEL_V2);
        uint48 until = uint48(block.timestamp) + MAX_SUSPENSION;
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelSuspended(MODEL_V2, until, "jailbreak in the wild");
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V2, MODEL_V1);
        _suspend(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Suspended);
        assertEq(models.suspendedUntil(MODEL_V2), until);
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
        assertEq(models.approvalHistory(MAIL_GUARD).length, 2); // the suspended entry stays, skipped
    }

    function test_suspend_onlyVersionLeavesNoCurrent() public {
        _approve(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V2, 0);
        _suspend(MODEL_V2);
        assertEq(models.currentVersion("mail-guard"), 0);
    }

    function test_suspend_revertsUnlessGuardian() public {
        _approve(MODEL_V2);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryNotGuardian.selector, carol));
        vm.prank(carol);
        models.suspend(MODEL_V2, "");
        // Governance itself does not suspend: it deprecates or revokes.
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryNotGuardian.selector, address(timelock))
        );
        vm.prank(address(timelock));
        models.suspend(MODEL_V2, "");
    }

    function test_suspend_revertsOnceTheGuardiansTermHasEnded() public {
        _approve(MODEL_V2);
        vm.warp(governor.guardianTermEnd());
        assertEq(governor.proposalGuardian(), address(0));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryNotGuardian.selector, guardian));
        _suspend(MODEL_V2);
    }

    function test_suspend_revertsWithoutGuardian() public {
        _approve(MODEL_V2);
        bytes memory removal = abi.encodeCall(governor.setProposalGuardian, (address(0)));
        _proposePassQueue(address(governor), removal, "no guardian");
        _execute(address(governor), removal, "no guardian");
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryNotGuardian.selector, guardian));
        _suspend(MODEL_V2);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryNotGuardian.selector, address(0)));
        vm.prank(address(0));
        models.suspend(MODEL_V2, "");
    }

    function test_suspend_revertsUnlessApproved() public {
        vm.expectRevert(
            _invalidTransition(MODEL_V1, ModelRegistry.Status.Candidate, ModelRegistry.Status.Suspended)
        );
        _suspend(MODEL_V1);
    }

    function test_suspend_oncePerApproval() public {
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        vm.prank(guardian);
        models.liftSuspension(MODEL_V2);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistrySuspendedOnce.selector, MODEL_V2));
        _suspend(MODEL_V2);
        // A new approval allows a new suspension.
        _deprecate(MODEL_V2);
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Suspended);
    }

    function test_liftSuspension_byGovernanceRestoresCurrent() public {
        _approve(MODEL_V1);
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.SuspensionEnded(MODEL_V2, false);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V1, MODEL_V2);
        _asGovernance(address(models), abi.encodeCall(models.liftSuspension, (MODEL_V2)));
        _assertStatus(MODEL_V2, ModelRegistry.Status.Approved);
        assertEq(models.suspendedUntil(MODEL_V2), 0);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function test_liftSuspension_byGuardian() public {
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        vm.prank(guardian);
        models.liftSuspension(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Approved);
    }

    function test_liftSuspension_revertsForStrangerOrUnsuspended() public {
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryNotGuardian.selector, carol));
        vm.prank(carol);
        models.liftSuspension(MODEL_V2);
        vm.expectRevert(
            _invalidTransition(MODEL_V1, ModelRegistry.Status.Candidate, ModelRegistry.Status.Approved)
        );
        vm.prank(guardian);
        models.liftSuspension(MODEL_V1);
    }

    function test_endLapsedSuspension_byAnyoneOnceTimeIsUp() public {
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        uint48 until = models.suspendedUntil(MODEL_V2);
        vm.warp(until - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistrySuspensionNotLapsed.selector, MODEL_V2, until)
        );
        models.endLapsedSuspension(MODEL_V2);
        vm.warp(until);
        vm.expectEmit(address(models));
        emit ModelRegistry.SuspensionEnded(MODEL_V2, true);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, 0, MODEL_V2);
        vm.prank(carol);
        models.endLapsedSuspension(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Approved);
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function test_endLapsedSuspension_revertsUnlessSuspended() public {
        _approve(MODEL_V2);
        vm.expectRevert(
            _invalidTransition(MODEL_V2, ModelRegistry.Status.Approved, ModelRegistry.Status.Approved)
        );
        models.endLapsedSuspension(MODEL_V2);
    }

    /// @dev Governance confirms the brake for good: a revoked version never lapses back.
    function test_revoke_suspendedVersionStaysRevoked() public {
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        _asGovernance(address(models), abi.encodeCall(models.revoke, (MODEL_V2, "confirmed")));
        vm.warp(block.timestamp + MAX_SUSPENSION);
        vm.expectRevert(
            _invalidTransition(MODEL_V2, ModelRegistry.Status.Revoked, ModelRegistry.Status.Approved)
        );
        models.endLapsedSuspension(MODEL_V2);
        _assertStatus(MODEL_V2, ModelRegistry.Status.Revoked);
        assertEq(models.suspendedUntil(MODEL_V2), 0);
        assertEq(models.approvalHistory(MAIL_GUARD).length, 0);
    }

    function test_deprecate_suspendedVersion() public {
        _approve(MODEL_V1);
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        vm.recordLogs();
        _deprecate(MODEL_V2);
        assertEq(vm.getRecordedLogs().length, 1); // the current version (v1) does not change
        _assertStatus(MODEL_V2, ModelRegistry.Status.Deprecated);
        assertEq(models.currentVersion("mail-guard"), MODEL_V1);
        assertEq(models.approvalHistory(MAIL_GUARD).length, 1);
    }

    // ------------------------------------------------------------ parameters

    function test_setApprovalWindow() public {
        vm.expectEmit(address(models));
        emit ModelRegistry.ApprovalWindowSet(APPROVAL_WINDOW, 7 days);
        _asGovernance(address(models), abi.encodeCall(models.setApprovalWindow, (7 days)));
        assertEq(models.approvalWindow(), 7 days);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidDuration.selector, 0));
        _asGovernance(address(models), abi.encodeCall(models.setApprovalWindow, (0)));
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, address(this)));
        models.setApprovalWindow(1 days);
    }

    function test_setMaxSuspension() public {
        vm.expectEmit(address(models));
        emit ModelRegistry.MaxSuspensionSet(MAX_SUSPENSION, 3 days);
        _asGovernance(address(models), abi.encodeCall(models.setMaxSuspension, (3 days)));
        assertEq(models.maxSuspension(), 3 days);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidDuration.selector, 0));
        _asGovernance(address(models), abi.encodeCall(models.setMaxSuspension, (0)));
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, address(this)));
        models.setMaxSuspension(1 days);
    }

    function test_suspend_saturatesAtTheLatestTime() public {
        _asGovernance(address(models), abi.encodeCall(models.setMaxSuspension, (type(uint48).max)));
        _approve(MODEL_V2);
        _suspend(MODEL_V2);
        assertEq(models.suspendedUntil(MODEL_V2), type(uint48).max);
    }

    // ------------------------------------------------------------ construction and views

    function test_constructor_revertsOnZeroAddressesOrDurations() public {
        IProposalGuardian source = IProposalGuardian(address(governor));
        vm.expectRevert(Governed.GovernedZeroAddress.selector);
        new ModelRegistry(address(0), policies, source, 1 days, 1 days);
        vm.expectRevert(Governed.GovernedZeroAddress.selector);
        new ModelRegistry(address(timelock), PolicyRegistry(address(0)), source, 1 days, 1 days);
        vm.expectRevert(Governed.GovernedZeroAddress.selector);
        new ModelRegistry(address(timelock), policies, IProposalGuardian(address(0)), 1 days, 1 days);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidDuration.selector, 0));
        new ModelRegistry(address(timelock), policies, source, 0, 1 days);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelRegistryInvalidDuration.selector, 0));
        new ModelRegistry(address(timelock), policies, source, 1 days, 0);
    }

    function test_governance_isTheTimelock() public view {
        assertEq(models.governance(), address(timelock));
        assertEq(address(models.policies()), address(policies));
        assertEq(address(models.governor()), address(governor));
        assertEq(models.approvalWindow(), APPROVAL_WINDOW);
        assertEq(models.maxSuspension(), MAX_SUSPENSION);
    }

    function test_model_revertsOnUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryUnknownModel.selector, keccak256("x"))
        );
        models.model(keccak256("x"));
    }
}
