// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Test} from "forge-std/Test.sol";

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {ModelRegistry} from "../../contracts/src/ModelRegistry.sol";
import {PolicyRegistry} from "../../contracts/src/PolicyRegistry.sol";

/// @dev Drives the registries with random evidence, disputes, policy changes and status changes, from the
/// timelock and from strangers, and keeps its own account of what the state must be (the ghost state),
/// including an independent implementation of the policy check.
contract RegistryHandler is Test {
    EvidenceRegistry internal immutable evidence;
    PolicyRegistry internal immutable policies;
    ModelRegistry internal immutable models;
    address internal immutable timelock;

    bytes32 public constant SUITE = keccak256("suite");
    bytes32 public constant POLICY = bytes32("policy");
    bytes32 internal constant METRIC_A = bytes32("a");
    bytes32 internal constant METRIC_B = bytes32("b");

    bytes32[2] public modelIds = [keccak256("model one"), keccak256("model two")];
    address[3] public evaluators = [address(0xE1), address(0xE2), address(0xE3)];

    struct GhostResult {
        EvidenceRegistry.ResultStatus status;
        uint256 submittedAt;
        uint256[2] values;
        bytes32 reportDigest;
    }

    mapping(bytes32 modelId => mapping(address evaluator => GhostResult)) public ghostResults;
    mapping(address evaluator => bool) public ghostAdmitted;
    mapping(bytes32 modelId => ModelRegistry.Status) public ghostStatus;
    PolicyRegistry.Rule[] internal _ghostRules;
    uint8 public ghostMinEvaluators;
    uint48 public ghostMaxAge;
    uint256 public ghostPolicyVersions;

    uint256 public ghostApprovedWithoutPolicy;
    uint256 public ghostRefusedDespitePolicy;
    uint256 public ghostUnauthorizedChanges;
    uint256 internal _reportNonce;

    constructor(
        EvidenceRegistry evidence_,
        PolicyRegistry policies_,
        ModelRegistry models_,
        TimelockController timelock_
    ) {
        evidence = evidence_;
        policies = policies_;
        models = models_;
        timelock = address(timelock_);

        bytes32[] memory metrics = new bytes32[](2);
        (metrics[0], metrics[1]) = (METRIC_A, METRIC_B);
        vm.prank(timelock);
        evidence.registerSuite(SUITE, keccak256("data"), metrics, "");
        for (uint256 i; i < 3; ++i) {
            vm.prank(timelock);
            evidence.admitEvaluator(evaluators[i], "");
            ghostAdmitted[evaluators[i]] = true;
        }
        models.register("family", "one", modelIds[0], "", 0);
        models.register("family", "two", modelIds[1], "", 0);
        ghostStatus[modelIds[0]] = ModelRegistry.Status.Candidate;
        ghostStatus[modelIds[1]] = ModelRegistry.Status.Candidate;
        setPolicy(0.5e18, 0.5e18, true, 2, 10 days);
        vm.prank(timelock);
        models.setFamilyPolicy("family", POLICY);
    }

    // ------------------------------------------------------------ evaluator actions

    function submit(uint256 modelSeed, uint256 evaluatorSeed, uint256 a, uint256 b) public {
        bytes32 modelId = modelIds[modelSeed % 2];
        address evaluator = evaluators[evaluatorSeed % 3];
        uint256[] memory values = new uint256[](2);
        (values[0], values[1]) = (bound(a, 0, 1e18), bound(b, 0, 1e18));
        bytes32[] memory metrics = new bytes32[](2);
        (metrics[0], metrics[1]) = (METRIC_A, METRIC_B);
        bytes32 reportDigest = keccak256(abi.encode(++_reportNonce));

        vm.prank(evaluator);
        try evidence.submitResult(
            EvidenceRegistry.Submission(modelId, SUITE, metrics, values, reportDigest, bytes32(0), "")
        ) {
            ghostResults[modelId][evaluator] = GhostResult(
                EvidenceRegistry.ResultStatus.Valid, block.timestamp, [values[0], values[1]], reportDigest
            );
        } catch {}
    }

    function dispute(uint256 modelSeed, uint256 evaluatorSeed, uint256 disputerSeed) public {
        bytes32 modelId = modelIds[modelSeed % 2];
        address evaluator = evaluators[evaluatorSeed % 3];
        address disputer = evaluators[disputerSeed % 3];
        GhostResult storage ghost = ghostResults[modelId][evaluator];
        vm.prank(disputer);
        try evidence.dispute(modelId, SUITE, evaluator, ghost.reportDigest, "") {
            ghost.status = EvidenceRegistry.ResultStatus.Disputed;
        } catch {}
    }

    function wait(uint256 seconds_) public {
        vm.warp(block.timestamp + bound(seconds_, 0, 5 days));
    }

    // ------------------------------------------------------------ governance actions

    function resolveDispute(uint256 modelSeed, uint256 evaluatorSeed, bool upheld) public {
        bytes32 modelId = modelIds[modelSeed % 2];
        address evaluator = evaluators[evaluatorSeed % 3];
        vm.prank(timelock);
        try evidence.resolveDispute(evidence.resultId(modelId, SUITE, evaluator), upheld) {
            ghostResults[modelId][evaluator].status =
                upheld ? EvidenceRegistry.ResultStatus.Struck : EvidenceRegistry.ResultStatus.Valid;
        } catch {}
    }

    function setAdmitted(uint256 evaluatorSeed, bool admitted) public {
        address evaluator = evaluators[evaluatorSeed % 3];
        vm.startPrank(timelock);
        if (admitted) {
            try evidence.admitEvaluator(evaluator, "") {
                ghostAdmitted[evaluator] = true;
            } catch {}
        } else {
            try evidence.removeEvaluator(evaluator) {
                ghostAdmitted[evaluator] = false;
            } catch {}
        }
        vm.stopPrank();
    }

    function setPolicy(
        uint256 thresholdA,
        uint256 thresholdB,
        bool bAtMost,
        uint256 minEvaluators,
        uint256 maxAge
    ) public {
        PolicyRegistry.Rule[] memory rules = new PolicyRegistry.Rule[](2);
        rules[0] = PolicyRegistry.Rule(
            SUITE, METRIC_A, PolicyRegistry.Comparator.AtLeast, uint96(bound(thresholdA, 0, 1e18))
        );
        rules[1] = PolicyRegistry.Rule(
            SUITE,
            METRIC_B,
            bAtMost ? PolicyRegistry.Comparator.AtMost : PolicyRegistry.Comparator.AtLeast,
            uint96(bound(thresholdB, 0, 1e18))
        );
        uint8 required = uint8(bound(minEvaluators, 1, 3));
        uint48 age = uint48(bound(maxAge, 1 days, 20 days));
        vm.prank(timelock);
        policies.setPolicy(POLICY, rules, required, age, "");
        delete _ghostRules;
        _ghostRules.push(rules[0]);
        _ghostRules.push(rules[1]);
        ghostMinEvaluators = required;
        ghostMaxAge = age;
        ++ghostPolicyVersions;
    }

    function approve(uint256 modelSeed) public {
        bytes32 modelId = modelIds[modelSeed % 2];
        bool met = referenceMeetsPolicy(modelId);
        ModelRegistry.Status from = ghostStatus[modelId];
        bool allowed = from == ModelRegistry.Status.Candidate || from == ModelRegistry.Status.Deprecated;
        uint256 policyVersion = policies.currentVersion(POLICY);
        bytes32 current = models.currentVersion("family");
        vm.prank(timelock);
        try models.approve(modelId, POLICY, policyVersion, current, uint48(block.timestamp)) {
            if (!met) ++ghostApprovedWithoutPolicy;
            ghostStatus[modelId] = ModelRegistry.Status.Approved;
        } catch {
            if (met && allowed) ++ghostRefusedDespitePolicy;
        }
    }

    function deprecate(uint256 modelSeed) public {
        bytes32 modelId = modelIds[modelSeed % 2];
        vm.prank(timelock);
        try models.deprecate(modelId) {
            ghostStatus[modelId] = ModelRegistry.Status.Deprecated;
        } catch {}
    }

    /// @dev Revocation is final, so it is rare here: otherwise most runs would end with nothing to approve.
    function revoke(uint256 modelSeed, uint256 chance) public {
        if (chance % 20 != 0) return;
        bytes32 modelId = modelIds[modelSeed % 2];
        vm.prank(timelock);
        try models.revoke(modelId, "") {
            ghostStatus[modelId] = ModelRegistry.Status.Revoked;
        } catch {}
    }

    // ------------------------------------------------------------ strangers

    /// @dev Every governed function, called by someone other than the timelock: none may succeed.
    function strangerAttempt(address stranger, uint256 which, uint256 modelSeed) public {
        if (stranger == timelock) return;
        bytes32 modelId = modelIds[modelSeed % 2];
        bytes memory call;
        address target;
        which %= 7;
        if (which == 0) {
            (target, call) =
            (
                address(models),
                abi.encodeCall(models.approve, (modelId, POLICY, 1, 0, uint48(block.timestamp)))
            );
        }
        if (which == 1) (target, call) = (address(models), abi.encodeCall(models.deprecate, (modelId)));
        if (which == 2) (target, call) = (address(models), abi.encodeCall(models.revoke, (modelId, "")));
        if (which == 3) {
            (target, call) =
            (address(policies), abi.encodeCall(policies.setPolicy, (POLICY, _ghostRules, 1, 1 days, "")));
        }
        if (which == 4) {
            (target, call) =
            (
                address(evidence),
                abi.encodeCall(evidence.registerSuite, (keccak256("s"), keccak256("d"), new bytes32[](1), ""))
            );
        }
        if (which == 5) {
            (target, call) = (address(evidence), abi.encodeCall(evidence.admitEvaluator, (stranger, "")));
        }
        if (which == 6) {
            (target, call) = (address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluators[0])));
        }
        vm.prank(stranger);
        (bool ok,) = target.call(call);
        if (ok) ++ghostUnauthorizedChanges;
    }

    // ------------------------------------------------------------ the reference check

    /// @dev The policy check written from the ghost state, independently of the contracts' storage.
    function referenceMeetsPolicy(bytes32 modelId) public view returns (bool) {
        for (uint256 r; r < _ghostRules.length; ++r) {
            PolicyRegistry.Rule memory rule = _ghostRules[r];
            uint256 metric = rule.metricId == METRIC_A ? 0 : 1;
            uint256 satisfied;
            for (uint256 e; e < 3; ++e) {
                GhostResult memory ghost = ghostResults[modelId][evaluators[e]];
                if (!ghostAdmitted[evaluators[e]] || ghost.status != EvidenceRegistry.ResultStatus.Valid) {
                    continue;
                }
                if (block.timestamp - ghost.submittedAt > ghostMaxAge) continue;
                uint256 value = ghost.values[metric];
                bool passes = rule.comparator == PolicyRegistry.Comparator.AtLeast
                    ? value >= rule.threshold
                    : value <= rule.threshold;
                if (passes) ++satisfied;
            }
            if (satisfied < ghostMinEvaluators) return false;
        }
        return true;
    }
}
