// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governed} from "../contracts/src/Governed.sol";
import {ModelRegistry} from "../contracts/src/ModelRegistry.sol";
import {PolicyRegistry} from "../contracts/src/PolicyRegistry.sol";
import {IProposalGuardian} from "../contracts/src/interfaces/IProposalGuardian.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";

contract ModelRegistryTest is CharterFixture {
    function setUp() public {
        _deploySystem();
        _setUpDemo();
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
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

    // ------------------------------------------------------------ register

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
        assertEq(uint8(models.statusOf(digest)), uint8(ModelRegistry.Status.Candidate));
        assertFalse(models.isApproved(digest));
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

    function test_register_revertsOnParentFromOtherFamily() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryParentFamilyMismatch.selector, MODEL_V1, keccak256("other")
            )
        );
        models.register("other", "v1", keccak256("a"), "", MODEL_V1);
    }

    // ------------------------------------------------------------ approve

    function test_approve_setsStatusAndCurrentVersion() public {
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelApproved(MODEL_V2, MAIL_SAFETY, 1);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, 0, MODEL_V2);
        _approve(MODEL_V2);
        assertTrue(models.isApproved(MODEL_V2));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    function test_approve_revertsWithFailingRule() public {
        _submitDemo(evaluator1, MODEL_V1, 0.8e18, 0.7e18, 0.3e18);
        _submitDemo(evaluator2, MODEL_V1, 0.81e18, 0.71e18, 0.31e18);
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
        assertEq(uint8(models.statusOf(MODEL_V1)), uint8(ModelRegistry.Status.Candidate));
    }

    function test_approve_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, alice));
        vm.prank(alice);
        models.approve(MODEL_V2, MAIL_SAFETY, 1, 0, uint48(block.timestamp));
    }

    function test_approve_revertsFromApprovedOrRevokedOrUnknown() public {
        _approve(MODEL_V2);
        _expectApprovalReverts(
            MODEL_V2,
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryInvalidTransition.selector,
                MODEL_V2,
                ModelRegistry.Status.Approved,
                ModelRegistry.Status.Approved
            )
        );
        _expectApprovalReverts(
            keccak256("x"),
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryInvalidTransition.selector,
                keccak256("x"),
                ModelRegistry.Status.Unknown,
                ModelRegistry.Status.Approved
            )
        );
    }

    function test_approve_reapprovesDeprecatedVersion() public {
        _approve(MODEL_V2);
        _asGovernance(address(models), abi.encodeCall(models.deprecate, (MODEL_V2)));
        _approve(MODEL_V2);
        assertTrue(models.isApproved(MODEL_V2));
        assertEq(models.currentVersion("mail-guard"), MODEL_V2);
    }

    // ------------------------------------------------------------ deprecate and revoke

    function test_deprecate_clearsCurrentVersion() public {
        _approve(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.ModelDeprecated(MODEL_V2);
        vm.expectEmit(address(models));
        emit ModelRegistry.CurrentVersionSet(MAIL_GUARD, MODEL_V2, 0);
        _asGovernance(address(models), abi.encodeCall(models.deprecate, (MODEL_V2)));
        assertFalse(models.isApproved(MODEL_V2));
        assertEq(uint8(models.statusOf(MODEL_V2)), uint8(ModelRegistry.Status.Deprecated));
        assertEq(models.currentVersion("mail-guard"), 0);
    }

    function test_deprecate_revertsUnlessApproved() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryInvalidTransition.selector,
                MODEL_V1,
                ModelRegistry.Status.Candidate,
                ModelRegistry.Status.Deprecated
            )
        );
        _asGovernance(address(models), abi.encodeCall(models.deprecate, (MODEL_V1)));
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
        assertEq(uint8(models.statusOf(MODEL_V2)), uint8(ModelRegistry.Status.Revoked));
        assertEq(models.currentVersion("mail-guard"), 0);
        _expectApprovalReverts(
            MODEL_V2,
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryInvalidTransition.selector,
                MODEL_V2,
                ModelRegistry.Status.Revoked,
                ModelRegistry.Status.Approved
            )
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ModelRegistry.ModelRegistryInvalidTransition.selector,
                MODEL_V2,
                ModelRegistry.Status.Revoked,
                ModelRegistry.Status.Revoked
            )
        );
        _asGovernance(address(models), abi.encodeCall(models.revoke, (MODEL_V2, "again")));
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

    function test_constructor_revertsOnZeroGovernance() public {
        vm.expectRevert(Governed.GovernedZeroAddress.selector);
        new ModelRegistry(address(0), policies, IProposalGuardian(address(governor)), 1 days, 1 days);
    }

    function test_governance_isTheTimelock() public view {
        assertEq(models.governance(), address(timelock));
        assertEq(address(models.policies()), address(policies));
    }

    function test_model_revertsOnUnknown() public {
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ModelRegistryUnknownModel.selector, keccak256("x"))
        );
        models.model(keccak256("x"));
    }
}
