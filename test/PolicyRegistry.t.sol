// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "../contracts/src/EvidenceRegistry.sol";
import {Governed} from "../contracts/src/Governed.sol";
import {PolicyRegistry} from "../contracts/src/PolicyRegistry.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";

contract PolicyRegistryTest is CharterFixture {
    function setUp() public {
        _deploySystem();
        _registerDemoSuites();
        _admit(evaluator1);
        _admit(evaluator2);
        _admit(evaluator3);
    }

    // ------------------------------------------------------------ setting policies

    function test_setPolicy_appendsVersionsAndEmits() public {
        PolicyRegistry.Rule[] memory rules = _demoRules();
        vm.expectEmit(address(policies));
        emit PolicyRegistry.PolicySet(MAIL_SAFETY, 1, rules, 2, MAX_EVIDENCE_AGE, "p");
        _setDemoPolicy(2);
        _setDemoPolicy(1);
        assertEq(policies.currentVersion(MAIL_SAFETY), 2);

        PolicyRegistry.PolicyVersion memory first = policies.policy(MAIL_SAFETY, 1);
        assertEq(first.minEvaluators, 2);
        assertEq(first.maxEvidenceAge, MAX_EVIDENCE_AGE);
        assertEq(first.uri, "p");
        assertEq(first.rules.length, 3);
        assertEq(first.rules[1].metricId, FALSE_POSITIVE_RATE);
        assertEq(first.rules[1].threshold, 0.1e18);
        assertEq(uint8(first.rules[1].comparator), uint8(PolicyRegistry.Comparator.AtMost));
        assertEq(policies.policy(MAIL_SAFETY, 2).minEvaluators, 1);
    }

    function test_setPolicy_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, alice));
        vm.prank(alice);
        policies.setPolicy(MAIL_SAFETY, _demoRules(), 1, 1 days, "");
    }

    function test_setPolicy_revertsOnUnknownMetric() public {
        PolicyRegistry.Rule[] memory rules = _demoRules();
        rules[2].metricId = bytes32("recall");
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryUnknownMetric.selector, DETECTION_SUITE, bytes32("recall")
            )
        );
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, rules, 1, 1 days, ""))
        );
    }

    function test_setPolicy_revertsOnUnregisteredSuite() public {
        PolicyRegistry.Rule[] memory rules = _demoRules();
        rules[0].suiteId = keccak256("unregistered");
        vm.expectRevert(
            abi.encodeWithSelector(PolicyRegistry.PolicyRegistryUnknownMetric.selector, rules[0].suiteId, F1)
        );
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, rules, 1, 1 days, ""))
        );
    }

    function test_setPolicy_revertsOnInvalidShape() public {
        bytes memory noRules = abi.encodeWithSelector(
            PolicyRegistry.PolicyRegistryInvalidPolicy.selector, MAIL_SAFETY, 0, uint8(1), uint48(1 days)
        );
        vm.expectRevert(noRules);
        _asGovernance(
            address(policies),
            abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, new PolicyRegistry.Rule[](0), 1, 1 days, ""))
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryInvalidPolicy.selector, MAIL_SAFETY, 3, uint8(0), uint48(1 days)
            )
        );
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, _demoRules(), 0, 1 days, ""))
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryInvalidPolicy.selector, MAIL_SAFETY, 3, uint8(1), uint48(0)
            )
        );
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, _demoRules(), 1, 0, ""))
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryInvalidPolicy.selector, bytes32(0), 3, uint8(1), uint48(1)
            )
        );
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (bytes32(0), _demoRules(), 1, 1, ""))
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryInvalidPolicy.selector, MAIL_SAFETY, 17, uint8(1), uint48(1)
            )
        );
        _asGovernance(
            address(policies),
            abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, new PolicyRegistry.Rule[](17), 1, 1, ""))
        );
    }

    function test_policy_revertsOnUnknownVersion() public {
        vm.expectRevert(
            abi.encodeWithSelector(PolicyRegistry.PolicyRegistryUnknownVersion.selector, MAIL_SAFETY, 1)
        );
        policies.policy(MAIL_SAFETY, 1);
        _setDemoPolicy(1);
        vm.expectRevert(
            abi.encodeWithSelector(PolicyRegistry.PolicyRegistryUnknownVersion.selector, MAIL_SAFETY, 0)
        );
        policies.policy(MAIL_SAFETY, 0);
    }

    // ------------------------------------------------------------ checking evidence

    function test_checkPolicy_metWhenEnoughEvaluatorsPass() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _passChallengeWindow();
        (bool met, uint256 version, bytes memory failure) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertTrue(met);
        assertEq(version, 1);
        assertEq(failure.length, 0);
        assertEq(policies.requirePolicy(MODEL_V2, MAIL_SAFETY), 1);
    }

    function test_checkPolicy_unknownPolicy() public {
        _expectFailure(
            abi.encodeWithSelector(PolicyRegistry.PolicyRegistryUnknownPolicy.selector, MAIL_SAFETY)
        );
    }

    function test_checkPolicy_namesMissingEvidence() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        _passChallengeWindow();
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceMissing.selector, 0, DETECTION_SUITE, 1, 2
            )
        );
    }

    function test_checkPolicy_namesFailingThreshold() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        _submitDemo(evaluator2, MODEL_V2, 0.97e18, 0.95e18, 0.25e18); // over-blocks a quarter of hard ham
        _passChallengeWindow();
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryThresholdNotMet.selector,
                1,
                FALSE_POSITIVE_RATE,
                PolicyRegistry.Comparator.AtMost,
                0.1e18,
                0.25e18,
                1,
                2
            )
        );
    }

    function test_checkPolicy_namesStaleEvidence() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        vm.warp(block.timestamp + 10 days);
        _submitPassing(evaluator2, MODEL_V2);
        vm.warp(block.timestamp + MAX_EVIDENCE_AGE - 5 days);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceTooOld.selector,
                0,
                DETECTION_SUITE,
                MAX_EVIDENCE_AGE + 5 days,
                MAX_EVIDENCE_AGE
            )
        );
    }

    function test_checkPolicy_namesDisputedEvidence() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        uint256 disputeId = _dispute(evaluator3, MODEL_V2, DETECTION_SUITE, evaluator1);
        _passChallengeWindow();
        bytes memory disputed = abi.encodeWithSelector(
            PolicyRegistry.PolicyRegistryEvidenceDisputed.selector, 0, DETECTION_SUITE, evaluator1
        );
        _expectFailure(disputed);
        // A struck result is named the same way.
        _asGovernance(address(evidence), abi.encodeCall(evidence.resolveDispute, (disputeId, true)));
        _expectFailure(disputed);
    }

    function test_checkPolicy_namesTheEarliestResultInItsChallengeWindow() public {
        _setDemoPolicy(2);
        uint256 firstPostedAt = block.timestamp;
        _submitPassing(evaluator2, MODEL_V2);
        vm.warp(block.timestamp + 1 hours);
        _submitPassing(evaluator1, MODEL_V2);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceInChallengeWindow.selector,
                0,
                DETECTION_SUITE,
                evaluator2,
                firstPostedAt + CHALLENGE_PERIOD
            )
        );
        // One second before it counts, it still does not.
        vm.warp(firstPostedAt + CHALLENGE_PERIOD - 1);
        (bool met,,) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertFalse(met);
        vm.warp(firstPostedAt + CHALLENGE_PERIOD + 1 hours);
        (met,,) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertTrue(met);
    }

    function test_checkPolicy_namesAnUnderbondedEvaluator() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _passChallengeWindow();
        vm.prank(evaluator1);
        evidence.unbond(0.25 ether);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvaluatorUnderbonded.selector,
                0,
                DETECTION_SUITE,
                evaluator1,
                MIN_BOND - 0.25 ether,
                MIN_BOND
            )
        );
        _bond(evaluator1, 0.25 ether);
        (bool met,,) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertTrue(met);
    }

    // ------------------------------------------------------------ which reason is named: the order

    /// @dev A value short of the threshold says more than a result still in its window.
    function test_checkPolicy_order_thresholdBeforeChallengeWindow() public {
        _setDemoPolicy(2);
        _submitDemo(evaluator1, MODEL_V2, 0.97e18, 0.5e18, 0.02e18);
        _passChallengeWindow();
        _submitPassing(evaluator2, MODEL_V2);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryThresholdNotMet.selector,
                0,
                F1,
                PolicyRegistry.Comparator.AtLeast,
                0.9e18,
                0.5e18,
                0,
                2
            )
        );
    }

    function test_checkPolicy_order_staleBeforeChallengeWindow() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        vm.warp(block.timestamp + MAX_EVIDENCE_AGE + 1);
        _submitPassing(evaluator2, MODEL_V2);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceTooOld.selector,
                0,
                DETECTION_SUITE,
                MAX_EVIDENCE_AGE + 1,
                MAX_EVIDENCE_AGE
            )
        );
    }

    /// @dev A result that will count soon says more than a disputed one; a disputed one more than an
    /// underbonded evaluator; an underbonded evaluator more than missing evidence.
    function test_checkPolicy_order_windowThenDisputeThenUnderbondedThenMissing() public {
        _setDemoPolicy(3);
        _submitPassing(evaluator1, MODEL_V2);
        _submitPassing(evaluator2, MODEL_V2);
        _dispute(evaluator3, MODEL_V2, DETECTION_SUITE, evaluator1);
        _passChallengeWindow();
        vm.prank(evaluator2);
        evidence.unbond(MIN_BOND);
        _submitPassing(evaluator3, MODEL_V2);
        uint256 countsFrom = block.timestamp + CHALLENGE_PERIOD;
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceInChallengeWindow.selector,
                0,
                DETECTION_SUITE,
                evaluator3,
                countsFrom
            )
        );
        vm.warp(countsFrom);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceDisputed.selector, 0, DETECTION_SUITE, evaluator1
            )
        );
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvaluatorUnderbonded.selector,
                0,
                DETECTION_SUITE,
                evaluator2,
                0,
                MIN_BOND
            )
        );
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator2)));
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceMissing.selector, 0, DETECTION_SUITE, 1, 3
            )
        );
    }

    /// @dev Results that do not count are never compared with the threshold: a failing value in its window,
    /// disputed or underbonded is not "threshold not met".
    function test_checkPolicy_resultsThatDoNotCountAreNotComparedWithTheThreshold() public {
        _setDemoPolicy(2);
        _submitPassing(evaluator1, MODEL_V2);
        _submitDemo(evaluator2, MODEL_V2, 0.5e18, 0.5e18, 0.5e18);
        _submitDemo(evaluator3, MODEL_V2, 0.5e18, 0.5e18, 0.5e18);
        _dispute(evaluator1, MODEL_V2, DETECTION_SUITE, evaluator3);
        _dispute(evaluator1, MODEL_V2, OVERBLOCKING_SUITE, evaluator3);
        _passChallengeWindow();
        vm.prank(evaluator2);
        evidence.unbond(1);
        _expectFailure(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceDisputed.selector, 0, DETECTION_SUITE, evaluator3
            )
        );
    }

    function test_checkPolicy_usesActiveVersion() public {
        _setDemoPolicy(1);
        _submitPassing(evaluator1, MODEL_V2);
        _passChallengeWindow();
        (bool met,,) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertTrue(met);
        _setDemoPolicy(2);
        (met,,) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertFalse(met);
    }

    function _expectFailure(bytes memory expected) internal {
        (bool met,, bytes memory failure) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertFalse(met);
        assertEq(failure, expected);
        vm.expectRevert(expected);
        policies.requirePolicy(MODEL_V2, MAIL_SAFETY);
    }

    // ------------------------------------------------------------ fuzz: the check against a reference

    struct Case {
        uint8 minEvaluators;
        uint64 threshold;
        bool atMost;
        uint64[3] values;
        uint32[3] ages;
        bool[3] submitted;
        bool[3] disputed;
        bool[3] underbonded;
        uint32 challengePeriod;
    }

    /// @dev Posts evaluator `i`'s result of the case (disputed at once when the case says so: a dispute must
    /// come inside the window) and says whether it should count at `start`.
    function _postCase(Case memory c, uint256 i, uint256 start, uint256 maxAge, uint256 challengePeriod)
        internal
        returns (bool counts)
    {
        address evaluator = [evaluator1, evaluator2, evaluator3][i];
        uint256 age = bound(c.ages[i], 0, 20 days);
        vm.warp(start - age);
        vm.prank(evaluator);
        evidence.submitResult(
            _submission(MODEL_V2, DETECTION_SUITE, _values(0, c.values[i]), keccak256(abi.encode(i)))
        );
        if (c.disputed[i]) _dispute(makeAddr("disputer"), MODEL_V2, DETECTION_SUITE, evaluator);
        bool passes = c.atMost ? c.values[i] <= c.threshold : c.values[i] >= c.threshold;
        return passes && age <= maxAge && age >= challengePeriod && !c.disputed[i] && !c.underbonded[i];
    }

    /// @dev One rule, three evaluators with random values, ages, windows, disputes and bonds: the contract's
    /// verdict must equal a direct count of the results that should count.
    function testFuzz_checkPolicy_matchesReference(Case memory c) public {
        uint8 required = uint8(bound(c.minEvaluators, 1, 3));
        uint48 maxAge = 10 days;
        PolicyRegistry.Rule[] memory rules = new PolicyRegistry.Rule[](1);
        rules[0] = PolicyRegistry.Rule(
            DETECTION_SUITE,
            F1,
            c.atMost ? PolicyRegistry.Comparator.AtMost : PolicyRegistry.Comparator.AtLeast,
            c.threshold
        );
        _asGovernance(
            address(policies), abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, rules, required, maxAge, ""))
        );

        EvidenceRegistry.GameParameters memory game = _gameParameters();
        game.challengePeriod = uint48(bound(c.challengePeriod, 1, 5 days));
        _asGovernance(address(evidence), abi.encodeCall(evidence.setGameParameters, (game)));

        uint256 start = block.timestamp + 20 days;
        uint256 expectedCount;
        for (uint256 i; i < 3; ++i) {
            if (c.submitted[i] && _postCase(c, i, start, maxAge, game.challengePeriod)) ++expectedCount;
        }
        address[3] memory evaluators = [evaluator1, evaluator2, evaluator3];
        vm.warp(start);
        for (uint256 i; i < 3; ++i) {
            if (!c.underbonded[i]) continue;
            vm.prank(evaluators[i]);
            evidence.unbond(1);
        }

        (bool met,, bytes memory failure) = policies.checkPolicy(MODEL_V2, MAIL_SAFETY);
        assertEq(met, expectedCount >= required);
        assertEq(failure.length == 0, met);
    }
}
