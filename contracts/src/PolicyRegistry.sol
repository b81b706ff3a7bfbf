// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "./EvidenceRegistry.sol";
import {Governed} from "./Governed.sol";

/**
 * @title PolicyRegistry
 * @notice Safety policies as data. A policy is a list of rules (suite, metric, comparator, threshold), the
 * number of distinct admitted evaluators whose results must count and satisfy each rule, and the maximum
 * age of those results. A result counts when the evidence registry says so: past its challenge window, not
 * disputed or struck, and backed by at least the minimum bond. Setting a policy appends a version; the latest version is the active one.
 * {checkPolicy} says whether a model's evidence meets a policy and, if not, which rule fails and why, as
 * the custom error that {requirePolicy} (and so a model approval) reverts with.
 */
contract PolicyRegistry is Governed {
    enum Comparator {
        AtLeast,
        AtMost
    }

    /// @notice A rule as governance writes it. Thresholds are fixed-point with 18 decimals, like metric values.
    struct Rule {
        bytes32 suiteId;
        bytes32 metricId;
        Comparator comparator;
        uint96 threshold;
    }

    /// @notice A policy version as governance writes it.
    struct PolicyVersion {
        Rule[] rules;
        uint8 minEvaluators;
        uint48 maxEvidenceAge;
        uint48 setAt;
        string uri;
    }

    /// @dev A rule with its metric resolved to the suite's index once, when the policy is set: two slots.
    struct StoredRule {
        bytes32 suiteId;
        uint96 threshold;
        uint8 metricIndex;
        Comparator comparator;
    }

    struct StoredPolicy {
        uint8 minEvaluators;
        uint48 maxEvidenceAge;
        uint48 setAt;
        StoredRule[] rules;
        string uri;
    }

    uint256 public constant MAX_RULES = 16;

    /// @notice Where the evidence comes from.
    EvidenceRegistry public immutable evidence;

    mapping(bytes32 policyId => StoredPolicy[]) private _versions;

    /// @notice Emitted when governance sets a policy: version `version` of `policyId` is now active.
    event PolicySet(
        bytes32 indexed policyId,
        uint256 indexed version,
        Rule[] rules,
        uint8 minEvaluators,
        uint48 maxEvidenceAge,
        string uri
    );

    error PolicyRegistryUnknownPolicy(bytes32 policyId);
    error PolicyRegistryUnknownVersion(bytes32 policyId, uint256 version);
    error PolicyRegistryInvalidPolicy(
        bytes32 policyId, uint256 rules, uint8 minEvaluators, uint48 maxEvidenceAge
    );
    error PolicyRegistryUnknownMetric(bytes32 suiteId, bytes32 metricId);

    /// @notice Fewer than `required` evaluators have a countable result for the rule's suite.
    error PolicyRegistryEvidenceMissing(
        uint256 ruleIndex, bytes32 suiteId, uint256 satisfied, uint256 required
    );
    /// @notice The youngest result that would otherwise count is older than the policy allows.
    error PolicyRegistryEvidenceTooOld(uint256 ruleIndex, bytes32 suiteId, uint256 age, uint256 maxAge);
    /// @notice A result that would otherwise count is disputed or was struck.
    error PolicyRegistryEvidenceDisputed(uint256 ruleIndex, bytes32 suiteId, address evaluator);
    /// @notice A result is still inside its challenge window; the earliest such result counts from `countsFrom`.
    error PolicyRegistryEvidenceInChallengeWindow(
        uint256 ruleIndex, bytes32 suiteId, address evaluator, uint256 countsFrom
    );
    /// @notice A result's evaluator has bonded less than the minimum, so the result does not count.
    error PolicyRegistryEvaluatorUnderbonded(
        uint256 ruleIndex, bytes32 suiteId, address evaluator, uint256 bond, uint256 minBond
    );
    /// @notice The best failing value does not meet the threshold; `satisfied` evaluators met it.
    error PolicyRegistryThresholdNotMet(
        uint256 ruleIndex,
        bytes32 metricId,
        Comparator comparator,
        uint256 threshold,
        uint256 value,
        uint256 satisfied,
        uint256 required
    );

    constructor(address governance_, EvidenceRegistry evidence_) Governed(governance_) {
        evidence = evidence_;
    }

    /**
     * @notice Appends a version to `policyId` and makes it active. Only governance may call.
     * Every rule must name a metric of a registered suite. Emits {PolicySet}.
     * @return version The new version, counted from 1.
     */
    function setPolicy(
        bytes32 policyId,
        Rule[] calldata rules,
        uint8 minEvaluators,
        uint48 maxEvidenceAge,
        string calldata uri
    ) external onlyGovernance returns (uint256 version) {
        if (
            policyId == 0 || rules.length == 0 || rules.length > MAX_RULES || minEvaluators == 0
                || maxEvidenceAge == 0
        ) {
            revert PolicyRegistryInvalidPolicy(policyId, rules.length, minEvaluators, maxEvidenceAge);
        }
        StoredPolicy storage stored = _versions[policyId].push();
        stored.minEvaluators = minEvaluators;
        stored.maxEvidenceAge = maxEvidenceAge;
        stored.setAt = uint48(block.timestamp);
        stored.uri = uri;
        for (uint256 i; i < rules.length; ++i) {
            Rule calldata rule = rules[i];
            stored.rules
                .push(
                    StoredRule(
                        rule.suiteId,
                        rule.threshold,
                        _metricIndex(rule.suiteId, rule.metricId),
                        rule.comparator
                    )
                );
        }
        version = _versions[policyId].length;
        emit PolicySet(policyId, version, rules, minEvaluators, maxEvidenceAge, uri);
    }

    /// @notice The active version number of `policyId`; zero if it was never set.
    function currentVersion(bytes32 policyId) external view returns (uint256) {
        return _versions[policyId].length;
    }

    /// @notice Version `version` (from 1) of `policyId`, with its rules.
    function policy(bytes32 policyId, uint256 version) external view returns (PolicyVersion memory result) {
        if (version == 0 || version > _versions[policyId].length) {
            revert PolicyRegistryUnknownVersion(policyId, version);
        }
        StoredPolicy storage stored = _versions[policyId][version - 1];
        result.minEvaluators = stored.minEvaluators;
        result.maxEvidenceAge = stored.maxEvidenceAge;
        result.setAt = stored.setAt;
        result.uri = stored.uri;
        result.rules = new Rule[](stored.rules.length);
        for (uint256 i; i < stored.rules.length; ++i) {
            StoredRule storage rule = stored.rules[i];
            (, bytes32[] memory metricIds) = evidence.suite(rule.suiteId);
            result.rules[i] = Rule(rule.suiteId, metricIds[rule.metricIndex], rule.comparator, rule.threshold);
        }
    }

    /**
     * @notice Whether the evidence for `modelId` meets the active version of `policyId` now.
     * @return met True when every rule is met.
     * @return version The active version checked.
     * @return failure Empty when met; otherwise the ABI-encoded custom error naming the first failing rule.
     */
    function checkPolicy(bytes32 modelId, bytes32 policyId)
        public
        view
        returns (bool met, uint256 version, bytes memory failure)
    {
        version = _versions[policyId].length;
        if (version == 0) {
            return (false, 0, abi.encodeWithSelector(PolicyRegistryUnknownPolicy.selector, policyId));
        }
        StoredPolicy storage stored = _versions[policyId][version - 1];
        uint256 ruleCount = stored.rules.length;
        for (uint256 i; i < ruleCount; ++i) {
            failure = _checkRule(modelId, i, stored.rules[i], stored.minEvaluators, stored.maxEvidenceAge);
            if (failure.length != 0) return (false, version, failure);
        }
        return (true, version, failure);
    }

    /// @notice Reverts with the failing rule's error unless the evidence for `modelId` meets `policyId`.
    /// @return version The active version that was met.
    function requirePolicy(bytes32 modelId, bytes32 policyId) external view returns (uint256 version) {
        bool met;
        bytes memory failure;
        (met, version, failure) = checkPolicy(modelId, policyId);
        if (!met) {
            assembly ("memory-safe") {
                revert(add(failure, 0x20), mload(failure))
            }
        }
    }

    /// @dev What the evidence for one rule amounts to.
    struct Tally {
        uint256 satisfied;
        bool belowThreshold;
        uint256 bestFailingValue;
        uint256 youngestStaleAge;
        address disputedBy;
        address inWindowBy;
        uint256 earliestCountsFrom;
        address underbondedBy;
        uint256 underbondedBond;
    }

    /// @dev Counts the evaluators whose result meets the rule. When too few do, names the most telling
    /// reason, in this order: a value short of the threshold, stale evidence, a result still in its challenge
    /// window (the earliest to count), a dispute, an underbonded evaluator, missing evidence.
    function _checkRule(
        bytes32 modelId,
        uint256 ruleIndex,
        StoredRule storage rule,
        uint256 required,
        uint256 maxAge
    ) private view returns (bytes memory) {
        Tally memory tally = _tally(modelId, rule, maxAge);
        if (tally.satisfied >= required) return "";
        if (tally.belowThreshold) {
            (, bytes32[] memory metricIds) = evidence.suite(rule.suiteId);
            return abi.encodeWithSelector(
                PolicyRegistryThresholdNotMet.selector,
                ruleIndex,
                metricIds[rule.metricIndex],
                rule.comparator,
                rule.threshold,
                tally.bestFailingValue,
                tally.satisfied,
                required
            );
        }
        if (tally.youngestStaleAge != type(uint256).max) {
            return abi.encodeWithSelector(
                PolicyRegistryEvidenceTooOld.selector, ruleIndex, rule.suiteId, tally.youngestStaleAge, maxAge
            );
        }
        if (tally.inWindowBy != address(0)) {
            return abi.encodeWithSelector(
                PolicyRegistryEvidenceInChallengeWindow.selector,
                ruleIndex,
                rule.suiteId,
                tally.inWindowBy,
                tally.earliestCountsFrom
            );
        }
        if (tally.disputedBy != address(0)) {
            return abi.encodeWithSelector(
                PolicyRegistryEvidenceDisputed.selector, ruleIndex, rule.suiteId, tally.disputedBy
            );
        }
        if (tally.underbondedBy != address(0)) {
            return abi.encodeWithSelector(
                PolicyRegistryEvaluatorUnderbonded.selector,
                ruleIndex,
                rule.suiteId,
                tally.underbondedBy,
                tally.underbondedBond,
                evidence.gameParameters().minBond
            );
        }
        return abi.encodeWithSelector(
            PolicyRegistryEvidenceMissing.selector, ruleIndex, rule.suiteId, tally.satisfied, required
        );
    }

    function _tally(bytes32 modelId, StoredRule storage rule, uint256 maxAge)
        private
        view
        returns (Tally memory tally)
    {
        EvidenceRegistry.Evidence[] memory results =
            evidence.evidenceFor(modelId, rule.suiteId, rule.metricIndex);
        bool atLeast = rule.comparator == Comparator.AtLeast;
        uint256 threshold = rule.threshold;
        tally.bestFailingValue = atLeast ? 0 : type(uint256).max;
        tally.youngestStaleAge = type(uint256).max;
        tally.earliestCountsFrom = type(uint256).max;

        for (uint256 i; i < results.length; ++i) {
            EvidenceRegistry.Evidence memory result = results[i];
            EvidenceRegistry.Standing standing = result.standing;
            if (standing != EvidenceRegistry.Standing.Counts) {
                if (standing == EvidenceRegistry.Standing.InWindow) {
                    if (result.countsFrom < tally.earliestCountsFrom) {
                        tally.earliestCountsFrom = result.countsFrom;
                        tally.inWindowBy = result.evaluator;
                    }
                } else if (standing == EvidenceRegistry.Standing.Underbonded) {
                    tally.underbondedBy = result.evaluator;
                    tally.underbondedBond = result.bond;
                } else {
                    tally.disputedBy = result.evaluator;
                }
                continue;
            }
            uint256 age = block.timestamp - result.submittedAt;
            if (age > maxAge) {
                if (age < tally.youngestStaleAge) tally.youngestStaleAge = age;
                continue;
            }
            uint256 value = result.value;
            if (atLeast ? value >= threshold : value <= threshold) {
                ++tally.satisfied;
                continue;
            }
            tally.belowThreshold = true;
            if (atLeast ? value > tally.bestFailingValue : value < tally.bestFailingValue) {
                tally.bestFailingValue = value;
            }
        }
    }

    function _metricIndex(bytes32 suiteId, bytes32 metricId) private view returns (uint8) {
        (, bytes32[] memory metricIds) = evidence.suite(suiteId);
        for (uint256 i; i < metricIds.length; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast) a suite has at most MAX_METRICS (32) metrics
            if (metricIds[i] == metricId) return uint8(i);
        }
        revert PolicyRegistryUnknownMetric(suiteId, metricId);
    }
}
