// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "../contracts/src/EvidenceRegistry.sol";
import {PolicyRegistry} from "../contracts/src/PolicyRegistry.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";

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
        _submitPassing(evaluator2, MODEL_V2);
        _proposePassQueue(address(models), _approval(), DESCRIPTION);
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, OVERBLOCKING_SUITE, evaluator2);
        vm.prank(evaluator3);
        evidence.dispute(
            MODEL_V2, OVERBLOCKING_SUITE, evaluator2, live.reportDigest, "false-positive rate is 0.3"
        );
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

    function _expectExecutionFails(bytes memory policyError) internal {
        vm.expectRevert(policyError);
        _execute(address(models), _approval(), DESCRIPTION);
        assertFalse(models.isApproved(MODEL_V2));
    }
}
