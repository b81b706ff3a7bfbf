// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {CharterFixture} from "../utils/CharterFixture.sol";
import {RegistryHandler} from "./RegistryHandler.sol";

contract RegistryInvariantsTest is CharterFixture {
    RegistryHandler internal handler;

    function setUp() public {
        _deploySystem();
        handler = new RegistryHandler(evidence, policies, models, timelock);
        targetContract(address(handler));
    }

    /// @dev A model was only ever approved when its evidence met the policy, and never refused when it did.
    function invariant_approvedModelsMetPolicyWhenApproved() public view {
        assertEq(handler.ghostApprovedWithoutPolicy(), 0);
        assertEq(handler.ghostRefusedDespitePolicy(), 0);
    }

    /// @dev Strangers changed nothing, and every status, policy and evaluator is what governance made it.
    function invariant_onlyTimelockChangesGovernedState() public view {
        assertEq(handler.ghostUnauthorizedChanges(), 0);
        assertEq(policies.currentVersion(handler.POLICY()), handler.ghostPolicyVersions());
        for (uint256 m; m < 2; ++m) {
            bytes32 modelId = handler.modelIds(m);
            assertEq(uint8(models.statusOf(modelId)), uint8(handler.ghostStatus(modelId)));
        }
        for (uint256 e; e < 3; ++e) {
            address evaluator = handler.evaluators(e);
            assertEq(evidence.isEvaluator(evaluator), handler.ghostAdmitted(evaluator));
        }
        (, bytes32[] memory metricIds) = evidence.suite(keccak256("s"));
        assertEq(metricIds.length, 0);
    }

    /// @dev The contracts' verdict equals the reference, which never counts a disputed or struck result;
    /// and every such result is reported to the policy check as not valid.
    function invariant_disputedResultNeverCounts() public view {
        for (uint256 m; m < 2; ++m) {
            bytes32 modelId = handler.modelIds(m);
            (bool met,,) = policies.checkPolicy(modelId, handler.POLICY());
            assertEq(met, handler.referenceMeetsPolicy(modelId));

            EvidenceRegistry.Evidence[] memory found = evidence.evidenceFor(modelId, handler.SUITE(), 0);
            for (uint256 i; i < found.length; ++i) {
                (EvidenceRegistry.ResultStatus ghostStatus,,) =
                    handler.ghostResults(modelId, found[i].evaluator);
                assertEq(uint8(found[i].status), uint8(ghostStatus));
            }
        }
    }
}
