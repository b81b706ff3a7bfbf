// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {ModelRegistry} from "../../contracts/src/ModelRegistry.sol";
import {IProposalGuardian} from "../../contracts/src/interfaces/IProposalGuardian.sol";
import {CharterFixture} from "../utils/CharterFixture.sol";
import {RegistryHandler} from "./RegistryHandler.sol";

/// @dev Depth 256: a run must get from an approval through a suspension to its end, among everything else
/// that happens; at 128 calls a few of 256 runs do not. Rules are checked every fourth call and after the
/// last: the counters record a breach at the call that makes it, and the state checks compare with ghost
/// state that persists, so a breach cannot hide between checks.
/// forge-config: default.invariant.depth = 256
/// forge-config: default.invariant.check-interval = 4
contract RegistryInvariantsTest is CharterFixture {
    RegistryHandler internal handler;

    function setUp() public {
        _deploySystem();
        handler =
            new RegistryHandler(evidence, policies, models, IProposalGuardian(address(governor)), timelock);
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](24);
        actions[0] = handler.submit.selector;
        actions[1] = handler.dispute.selector;
        actions[2] = handler.wait.selector;
        actions[3] = handler.maintainerAction.selector;
        actions[4] = handler.evidenceGovernance.selector;
        actions[5] = handler.setPolicy.selector;
        actions[6] = handler.setParameter.selector;
        actions[7] = handler.proposeApproval.selector;
        actions[8] = handler.executeApproval.selector;
        actions[9] = handler.approveNow.selector;
        actions[10] = handler.retire.selector;
        actions[11] = handler.suspend.selector;
        actions[12] = handler.endSuspension.selector;
        actions[13] = handler.strangerAttempt.selector;
        // The chain the invariants must reach (approve, suspend, end the suspension; disputes) gets more
        // weight: a selector listed twice is drawn twice as often.
        actions[14] = handler.approveNow.selector;
        actions[15] = handler.suspend.selector;
        actions[16] = handler.suspend.selector;
        actions[17] = handler.endSuspension.selector;
        actions[18] = handler.endSuspension.selector;
        actions[19] = handler.dispute.selector;
        actions[20] = handler.retire.selector;
        actions[21] = handler.endSuspension.selector;
        actions[22] = handler.endSuspension.selector;
        actions[23] = handler.suspend.selector;
        targetSelector(FuzzSelector(address(handler), actions));
    }

    /// @dev One campaign checks every rule after every call: a campaign per rule would multiply CI's time
    /// by six for the same calls.
    function invariant_registryRules() public view {
        _assertApprovalsMetFamilyPolicyAtVotedVersion();
        _assertSuspendedOrRevokedNeverApproved();
        _assertCurrentVersionIsApproved();
        _assertOnlyMaintainerOrGovernanceAddVersions();
        _assertOnlyTimelockChangesGovernedState();
        _assertDisputedResultNeverCounts();
    }

    /// @dev Every approval in the run met the family's policy at the version its proposal named, against the
    /// current version it saw and inside its window; and none that did was refused.
    function _assertApprovalsMetFamilyPolicyAtVotedVersion() internal view {
        assertEq(handler.ghostApprovedOutsideRules(), 0, "approved outside the rules");
        assertEq(handler.ghostRefusedWithinRules(), 0, "refused within the rules");
    }

    /// @dev Every status is what the transitions made it, and a suspended or revoked version is never approved.
    function _assertSuspendedOrRevokedNeverApproved() internal view {
        assertEq(handler.ghostTransitionMismatches(), 0, "transition outcome");
        for (uint256 m; m < handler.modelCount(); ++m) {
            bytes32 modelId = handler.modelIds(m);
            ModelRegistry.Status status = models.statusOf(modelId);
            assertEq(uint8(status), uint8(handler.ghostStatus(modelId)));
            assertEq(models.isApproved(modelId), status == ModelRegistry.Status.Approved);
            if (status == ModelRegistry.Status.Suspended || status == ModelRegistry.Status.Revoked) {
                assertFalse(models.isApproved(modelId));
            }
            if (status == ModelRegistry.Status.Suspended) {
                assertEq(models.suspendedUntil(modelId), handler.ghostSuspendedUntil(modelId));
            } else {
                assertEq(models.suspendedUntil(modelId), 0);
            }
        }
    }

    /// @dev The family's current version is approved (or zero), and is the most recently approved version
    /// that still is, as the ghost's own record says.
    function _assertCurrentVersionIsApproved() internal view {
        bytes32 current = models.currentVersion(handler.FAMILY());
        assertTrue(current == 0 || models.isApproved(current), "current version not approved");
        assertEq(current, handler.referenceCurrentVersion());
        assertEq(models.family(handler.FAMILY_ID()).currentVersion, current);
        bytes32[] memory history = models.approvalHistory(handler.FAMILY_ID());
        if (history.length != 0) {
            ModelRegistry.Status tail = models.statusOf(history[history.length - 1]);
            assertTrue(tail == ModelRegistry.Status.Approved || tail == ModelRegistry.Status.Suspended);
        }
    }

    /// @dev Only the maintainer or governance added versions to the family, and the maintainer is who the
    /// maintainer or governance named.
    function _assertOnlyMaintainerOrGovernanceAddVersions() internal view {
        assertEq(handler.ghostUnauthorizedRegistrations(), 0);
        assertEq(models.family(handler.FAMILY_ID()).maintainer, handler.ghostMaintainer());
        for (uint256 m; m < handler.modelCount(); ++m) {
            assertEq(models.model(handler.modelIds(m)).familyId, handler.FAMILY_ID());
        }
    }

    /// @dev Strangers changed nothing, and every policy, parameter and evaluator is what governance made it.
    function _assertOnlyTimelockChangesGovernedState() internal view {
        assertEq(handler.ghostUnauthorizedChanges(), 0);
        assertEq(models.family(handler.FAMILY_ID()).policyId, handler.ghostFamilyPolicy());
        assertEq(models.approvalWindow(), handler.ghostApprovalWindow());
        assertEq(models.maxSuspension(), handler.ghostMaxSuspension());
        for (uint256 e; e < 3; ++e) {
            address evaluator = handler.evaluators(e);
            assertEq(evidence.isEvaluator(evaluator), handler.ghostAdmitted(evaluator));
        }
        (, bytes32[] memory metricIds) = evidence.suite(keccak256("s"));
        assertEq(metricIds.length, 0);
    }

    /// @dev The contracts' verdict equals the reference, which counts a result only once its challenge window
    /// has passed, while it is neither disputed nor struck and its evaluator is bonded; and every result is
    /// reported to the policy check with the standing the reference gives it.
    function _assertDisputedResultNeverCounts() internal view {
        for (uint256 m; m < handler.modelCount(); ++m) {
            bytes32 modelId = handler.modelIds(m);
            for (uint256 p; p < 2; ++p) {
                bytes32 policyId = p == 0 ? handler.POLICY() : handler.LAX();
                (bool met,,) = policies.checkPolicy(modelId, policyId);
                assertEq(met, handler.referenceMeetsPolicy(modelId, policyId));
            }
            EvidenceRegistry.Evidence[] memory found = evidence.evidenceFor(modelId, handler.SUITE(), 0);
            for (uint256 i; i < found.length; ++i) {
                assertEq(
                    uint8(found[i].standing), uint8(handler.referenceStanding(modelId, found[i].evaluator))
                );
            }
        }
    }

    /// @dev Each run reached the states the invariants guard: approvals, suspensions, their ends, disputes.
    function afterInvariant() public view {
        assertGt(handler.ghostApprovals(), 0, "no approval in this run");
        assertGt(handler.ghostSuspensions(), 0, "no suspension in this run");
        assertGt(handler.ghostSuspensionEnds(), 0, "no lift or lapse in this run");
        assertGt(handler.ghostDisputes(), 0, "no dispute in this run");
    }
}
