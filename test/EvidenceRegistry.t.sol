// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CharterGovernor} from "../contracts/src/CharterGovernor.sol";
import {EvidenceRegistry} from "../contracts/src/EvidenceRegistry.sol";
import {Governed} from "../contracts/src/Governed.sol";
import {PolicyRegistry} from "../contracts/src/PolicyRegistry.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";

contract EvidenceRegistryTest is CharterFixture {
    function setUp() public {
        _deploySystem();
        _registerDemoSuites();
        _admit(evaluator1);
        _admit(evaluator2);
    }

    // ------------------------------------------------------------ suites

    function test_registerSuite_storesMetricsAndEmits() public {
        bytes32[] memory metrics = new bytes32[](1);
        metrics[0] = bytes32("recall");
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.SuiteRegistered(keccak256("robustness"), keccak256("data"), metrics, "uri");
        _asGovernance(
            address(evidence),
            abi.encodeCall(
                evidence.registerSuite, (keccak256("robustness"), keccak256("data"), metrics, "uri")
            )
        );
        (bytes32 datasetDigest, bytes32[] memory stored) = evidence.suite(keccak256("robustness"));
        assertEq(datasetDigest, keccak256("data"));
        assertEq(stored, metrics);
    }

    function test_registerSuite_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, alice));
        vm.prank(alice);
        evidence.registerSuite(keccak256("x"), keccak256("d"), new bytes32[](1), "");
    }

    function test_registerSuite_revertsIfRegistered() public {
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistrySuiteExists.selector, DETECTION_SUITE)
        );
        _asGovernance(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (DETECTION_SUITE, keccak256("d"), new bytes32[](1), ""))
        );
    }

    function test_registerSuite_revertsOnMissingDigest() public {
        vm.expectRevert(EvidenceRegistry.EvidenceRegistryMissingDigest.selector);
        _asGovernance(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (keccak256("x"), 0, new bytes32[](1), ""))
        );
    }

    function test_registerSuite_revertsOnBadMetricCount() public {
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidMetrics.selector, 0));
        _asGovernance(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (keccak256("x"), keccak256("d"), new bytes32[](0), ""))
        );
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidMetrics.selector, 33));
        _asGovernance(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (keccak256("x"), keccak256("d"), new bytes32[](33), ""))
        );
    }

    // ------------------------------------------------------------ evaluators

    function test_admitEvaluator_addsToSet() public {
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.EvaluatorAdmitted(evaluator3, "third");
        _asGovernance(address(evidence), abi.encodeCall(evidence.admitEvaluator, (evaluator3, "third")));
        assertTrue(evidence.isEvaluator(evaluator3));
        assertEq(evidence.evaluators().length, 3);
    }

    function test_admitEvaluator_revertsIfAdmitted() public {
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryEvaluatorAdmitted.selector, evaluator1)
        );
        _admit(evaluator1);
    }

    function test_admitEvaluator_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, evaluator1));
        vm.prank(evaluator1);
        evidence.admitEvaluator(evaluator3, "self-admitted");
    }

    function test_removeEvaluator_stopsItsResultsCounting() public {
        _submitPassing(evaluator1, MODEL_V2);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.EvaluatorRemoved(evaluator1);
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        assertFalse(evidence.isEvaluator(evaluator1));
        assertEq(evidence.evidenceFor(MODEL_V2, DETECTION_SUITE, 0).length, 0);
    }

    function test_removeEvaluator_revertsIfNotAdmitted() public {
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotEvaluator.selector, evaluator3)
        );
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator3)));
    }

    function test_removeEvaluator_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, alice));
        vm.prank(alice);
        evidence.removeEvaluator(evaluator1);
    }

    // ------------------------------------------------------------ submissions

    function test_submitResult_storesValuesInSuiteOrder() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(0.97e18, 0.95e18), keccak256("report"));
        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.ResultSubmitted(
            id, MODEL_V2, DETECTION_SUITE, evaluator1, s.values, s.reportDigest, s.samplesRoot, s.uri, false
        );
        vm.prank(evaluator1);
        evidence.submitResult(s);

        (EvidenceRegistry.Result memory live, uint256[] memory values) =
            evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Valid));
        assertEq(live.reportDigest, keccak256("report"));
        assertEq(live.submittedAt, block.timestamp);
        assertEq(values, s.values);
        EvidenceRegistry.Evidence[] memory f1 = evidence.evidenceFor(MODEL_V2, DETECTION_SUITE, 1);
        assertEq(f1.length, 1);
        assertEq(f1[0].value, 0.95e18);
    }

    function test_submitResult_supersedesPreviousResult() public {
        vm.startPrank(evaluator1);
        evidence.submitResult(
            _submission(MODEL_V2, DETECTION_SUITE, _values(0.5e18, 0.5e18), keccak256("first"))
        );
        vm.warp(block.timestamp + 1 days);
        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.ResultSubmitted(
            id,
            MODEL_V2,
            DETECTION_SUITE,
            evaluator1,
            _values(0.9e18, 0.8e18),
            keccak256("second"),
            DEMO_SAMPLES_ROOT,
            "ipfs://r",
            true
        );
        evidence.submitResult(
            _submission(MODEL_V2, DETECTION_SUITE, _values(0.9e18, 0.8e18), keccak256("second"))
        );
        vm.stopPrank();
        (EvidenceRegistry.Result memory live, uint256[] memory values) =
            evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(live.reportDigest, keccak256("second"));
        assertEq(live.submittedAt, block.timestamp);
        assertEq(values[1], 0.8e18);
    }

    function test_submitResult_revertsIfNotEvaluator() public {
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotEvaluator.selector, alice));
        vm.prank(alice);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r")));
    }

    function test_submitResult_revertsOnUnknownSuite() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        s.suiteId = keccak256("unknown");
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryUnknownSuite.selector, s.suiteId)
        );
        vm.prank(evaluator1);
        evidence.submitResult(s);
    }

    function test_submitResult_revertsOnMissingDigest() public {
        vm.expectRevert(EvidenceRegistry.EvidenceRegistryMissingDigest.selector);
        vm.prank(evaluator1);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), 0));
    }

    function test_submitResult_revertsOnMetricsOtherThanSuites() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        (s.metricIds[0], s.metricIds[1]) = (s.metricIds[1], s.metricIds[0]);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryMetricsMismatch.selector, DETECTION_SUITE)
        );
        vm.prank(evaluator1);
        evidence.submitResult(s);
    }

    function test_submitResult_revertsOnValueCount() public {
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryValuesLength.selector, 2, 1));
        vm.prank(evaluator1);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1), keccak256("r")));
    }

    function test_submitResult_revertsOnValueTooLarge() public {
        uint256 tooLarge = uint256(type(uint96).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryValueTooLarge.selector, 1, tooLarge)
        );
        vm.prank(evaluator1);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, tooLarge), keccak256("r")));
    }

    function test_submitResult_revertsIfSameReportPostedTwice() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        vm.startPrank(evaluator1);
        evidence.submitResult(s);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryAlreadySubmitted.selector,
                evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1),
                keccak256("r")
            )
        );
        evidence.submitResult(s);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ signed submissions

    function testFuzz_submitResultWithSignature_relayedByAnyone(
        address relayer,
        uint96 accuracy,
        uint96 f1,
        bytes32 reportDigest
    ) public {
        vm.assume(reportDigest != 0);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(accuracy, f1), reportDigest);
        bytes memory signature = _signSubmission(evaluatorKey1, s, 0, block.timestamp);
        vm.prank(relayer);
        evidence.submitResultWithSignature(s, evaluator1, block.timestamp, signature);
        (, uint256[] memory values) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(values, s.values);
        assertEq(evidence.nonces(evaluator1), 1);

        // The same signature cannot be used again: the nonce moved on.
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidSignature.selector, evaluator1)
        );
        evidence.submitResultWithSignature(s, evaluator1, block.timestamp, signature);
    }

    function testFuzz_submitResultWithSignature_rejectsOtherSigners(uint256 key) public {
        key = bound(key, 1, 2 ** 128);
        vm.assume(key != evaluatorKey1);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        bytes memory signature = _signSubmission(key, s, 0, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidSignature.selector, evaluator1)
        );
        evidence.submitResultWithSignature(s, evaluator1, block.timestamp, signature);
    }

    function testFuzz_submitResultWithSignature_rejectsTamperedSubmission(uint96 forgedF1) public {
        vm.assume(forgedF1 != 0.5e18);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(0.5e18, 0.5e18), keccak256("r"));
        bytes memory signature = _signSubmission(evaluatorKey1, s, 0, block.timestamp);
        s.values[1] = forgedF1;
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidSignature.selector, evaluator1)
        );
        evidence.submitResultWithSignature(s, evaluator1, block.timestamp, signature);
    }

    function test_submitResultWithSignature_revertsWhenExpired() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        uint256 deadline = block.timestamp - 1;
        bytes memory signature = _signSubmission(evaluatorKey1, s, 0, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistrySignatureExpired.selector, deadline)
        );
        evidence.submitResultWithSignature(s, evaluator1, deadline, signature);
    }

    function test_submitResultWithSignature_revertsIfSignerNotEvaluator() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        bytes memory signature = _signSubmission(evaluatorKey3, s, 0, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotEvaluator.selector, evaluator3)
        );
        evidence.submitResultWithSignature(s, evaluator3, block.timestamp, signature);
    }

    // ------------------------------------------------------------ one nonce sequence (hole 7)

    function _signNow(uint256 key, bytes32 reportDigest, uint256 nonce)
        internal
        view
        returns (EvidenceRegistry.Submission memory s, bytes memory signature)
    {
        s = _submission(MODEL_V2, DETECTION_SUITE, _values(0.5e18, 0.5e18), reportDigest);
        signature = _signSubmission(key, s, nonce, block.timestamp + 1 days);
    }

    function _relay(EvidenceRegistry.Submission memory s, address evaluator, bytes memory signature)
        internal
    {
        evidence.submitResultWithSignature(s, evaluator, block.timestamp + 1 days, signature);
    }

    function _expectRelayRefused(
        EvidenceRegistry.Submission memory s,
        address evaluator,
        bytes memory signature
    ) internal {
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidSignature.selector, evaluator)
        );
        _relay(s, evaluator, signature);
    }

    function test_submitResult_consumesTheNonceSignaturesUse() public {
        assertEq(evidence.nonces(evaluator1), 0);
        vm.prank(evaluator1);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("direct")));
        assertEq(evidence.nonces(evaluator1), 1);
        (EvidenceRegistry.Submission memory s, bytes memory signature) =
            _signNow(evaluatorKey1, keccak256("signed"), 1);
        _relay(s, evaluator1, signature);
        assertEq(evidence.nonces(evaluator1), 2);
        assertEq(_liveDigest(evaluator1), keccak256("signed"));
    }

    /// @dev The attack: a signed result handed to a relayer but never relayed, then superseded by a direct
    /// submission, is relayed later to bring the older result back.
    function test_submitResultWithSignature_cannotReplaceANewerDirectSubmission() public {
        (EvidenceRegistry.Submission memory old, bytes memory signature) =
            _signNow(evaluatorKey1, keccak256("older report"), evidence.nonces(evaluator1));
        vm.warp(block.timestamp + 1 hours);
        vm.prank(evaluator1);
        evidence.submitResult(
            _submission(MODEL_V2, DETECTION_SUITE, _values(0.9e18, 0.9e18), keccak256("newer report"))
        );
        _expectRelayRefused(old, evaluator1, signature);
        assertEq(_liveDigest(evaluator1), keccak256("newer report"));
    }

    /// @dev The attack: a signature given before removal is relayed after re-admission.
    function test_removeEvaluator_reAdmissionRevivesNoSignature() public {
        (EvidenceRegistry.Submission memory s, bytes memory signature) =
            _signNow(evaluatorKey1, keccak256("before removal"), 0);
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        assertEq(evidence.nonces(evaluator1), 1);
        _admit(evaluator1);
        assertEq(evidence.nonces(evaluator1), 1, "re-admission keeps the advanced nonce");
        _expectRelayRefused(s, evaluator1, signature);
    }

    function test_invalidateSignatures_killsOutstandingSignatures() public {
        EvidenceRegistry.Submission[3] memory signed;
        bytes[3] memory signatures;
        for (uint256 i; i < 3; ++i) {
            (signed[i], signatures[i]) = _signNow(evaluatorKey1, keccak256(abi.encode("report", i)), i);
        }
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.SignaturesInvalidated(evaluator1, 3);
        vm.prank(evaluator1);
        evidence.invalidateSignatures(3);
        assertEq(evidence.nonces(evaluator1), 3);
        for (uint256 i; i < 3; ++i) {
            _expectRelayRefused(signed[i], evaluator1, signatures[i]);
        }
        (EvidenceRegistry.Submission memory fresh, bytes memory freshSignature) =
            _signNow(evaluatorKey1, keccak256("fresh"), 3);
        _relay(fresh, evaluator1, freshSignature);
        assertEq(_liveDigest(evaluator1), keccak256("fresh"));
    }

    function test_invalidateSignatures_revertsUnlessTheNonceIncreases() public {
        vm.startPrank(evaluator1);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNonceNotIncreasing.selector, 0, 0)
        );
        evidence.invalidateSignatures(0);
        evidence.invalidateSignatures(5);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNonceNotIncreasing.selector, 5, 4)
        );
        evidence.invalidateSignatures(4);
        vm.stopPrank();
    }

    function testFuzz_invalidateSignatures_movesForwardByABoundedJump(uint256 start, uint256 newNonce)
        public
    {
        start = bound(start, 0, 3 * evidence.MAX_NONCE_JUMP());
        for (uint256 reached; reached < start;) {
            reached =
                reached + evidence.MAX_NONCE_JUMP() < start ? reached + evidence.MAX_NONCE_JUMP() : start;
            vm.prank(evaluator1);
            evidence.invalidateSignatures(reached);
        }
        assertEq(evidence.nonces(evaluator1), start);
        if (newNonce <= start) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    EvidenceRegistry.EvidenceRegistryNonceNotIncreasing.selector, start, newNonce
                )
            );
        } else if (newNonce - start > evidence.MAX_NONCE_JUMP()) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    EvidenceRegistry.EvidenceRegistryNonceJumpTooLarge.selector,
                    start,
                    newNonce,
                    evidence.MAX_NONCE_JUMP()
                )
            );
        }
        vm.prank(evaluator1);
        evidence.invalidateSignatures(newNonce);
        uint256 expected =
            newNonce > start && newNonce - start <= evidence.MAX_NONCE_JUMP() ? newNonce : start;
        assertEq(evidence.nonces(evaluator1), expected);
    }

    /// @dev Any interleaving of direct and signed submissions: each consumes exactly one nonce, and a signature
    /// given before the latest submission never lands.
    function testFuzz_submissions_shareOneSequence(uint8 directMask, uint8 count) public {
        count = uint8(bound(count, 1, 8));
        (EvidenceRegistry.Submission memory stale, bytes memory staleSignature) =
            _signNow(evaluatorKey1, keccak256("stale"), 0);
        for (uint256 i; i < count; ++i) {
            bytes32 digest = keccak256(abi.encode("report", i));
            if ((directMask >> i) & 1 == 1) {
                vm.prank(evaluator1);
                evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), digest));
            } else {
                (EvidenceRegistry.Submission memory s, bytes memory signature) =
                    _signNow(evaluatorKey1, digest, evidence.nonces(evaluator1));
                _relay(s, evaluator1, signature);
            }
            assertEq(evidence.nonces(evaluator1), i + 1);
            assertEq(_liveDigest(evaluator1), digest);
        }
        _expectRelayRefused(stale, evaluator1, staleSignature);
    }

    function _liveDigest(address evaluator) internal view returns (bytes32) {
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator);
        return live.reportDigest;
    }

    // ------------------------------------------------------------ the evidence game: helpers

    address internal disputer = makeAddr("disputer");
    address internal griefer = makeAddr("griefer");
    address internal council = makeAddr("council");

    function _id(address evaluator) internal view returns (bytes32) {
        return evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator);
    }

    function _post(address evaluator, bytes32 reportDigest) internal {
        vm.prank(evaluator);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(0.97e18, 0.95e18), reportDigest));
    }

    /// @dev `by` disputes `evaluator`'s result version `reportDigest` with exactly these arguments, sending
    /// `value` (given to it first).
    function _disputeWith(
        address by,
        address evaluator,
        bytes32 reportDigest,
        EvidenceRegistry.Sample memory committed,
        bytes32[] memory proof,
        EvidenceRegistry.Claim memory claim,
        uint256 value
    ) internal returns (uint256) {
        vm.deal(by, by.balance + value);
        vm.prank(by);
        return evidence.dispute{value: value}(
            MODEL_V2, DETECTION_SUITE, evaluator, reportDigest, committed, proof, claim
        );
    }

    /// @dev `by` disputes `evaluator`'s version `reportDigest`, naming demo sample `index` with a wrong claim.
    function _disputeSample(address by, address evaluator, bytes32 reportDigest, uint256 index)
        internal
        returns (uint256)
    {
        EvidenceRegistry.Sample memory named = _demoSample(index);
        return _disputeWith(
            by, evaluator, reportDigest, named, _demoProof(index), _claimAgainst(named), DISPUTE_BOND
        );
    }

    function _resolve(uint256 disputeId, bool upheld) internal {
        _asGovernance(address(evidence), abi.encodeCall(evidence.resolveDispute, (disputeId, upheld)));
    }

    function _status(address evaluator) internal view returns (EvidenceRegistry.ResultStatus) {
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator);
        return live.status;
    }

    function _evidenceOf(address evaluator) internal view returns (EvidenceRegistry.Evidence memory found) {
        EvidenceRegistry.Evidence[] memory all = evidence.evidenceFor(MODEL_V2, DETECTION_SUITE, 1);
        for (uint256 i; i < all.length; ++i) {
            if (all[i].evaluator == evaluator) return all[i];
        }
        revert("no evidence from this evaluator");
    }

    function _assertStanding(address evaluator, EvidenceRegistry.Standing expected) internal view {
        assertEq(uint8(_evidenceOf(evaluator).standing), uint8(expected), "standing");
    }

    function _bonded(address evaluator) internal view returns (uint256 bonded) {
        (bonded,,,) = evidence.stakeOf(evaluator);
    }

    function _unbonding(address evaluator) internal view returns (uint256 unbonding, uint48 readyAt) {
        (, unbonding, readyAt,) = evidence.stakeOf(evaluator);
    }

    function _openDisputes(address evaluator) internal view returns (uint32 open) {
        (,,, open) = evidence.stakeOf(evaluator);
    }

    // ------------------------------------------------------------ stake

    function test_bond_addsToTheActiveBond() public {
        vm.deal(evaluator1, 2 ether);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.Bonded(evaluator1, 2 ether, MIN_BOND + 2 ether);
        vm.prank(evaluator1);
        evidence.bond{value: 2 ether}();
        assertEq(_bonded(evaluator1), MIN_BOND + 2 ether);
        assertEq(address(evidence).balance, 2 * uint256(MIN_BOND) + 2 ether);
        assertEq(_evidenceOfAfterPosting(evaluator1).bond, MIN_BOND + 2 ether);
    }

    function _evidenceOfAfterPosting(address evaluator) internal returns (EvidenceRegistry.Evidence memory) {
        _post(evaluator, keccak256("any"));
        return _evidenceOf(evaluator);
    }

    function test_bond_revertsUnlessAdmitted() public {
        vm.deal(alice, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotEvaluator.selector, alice));
        vm.prank(alice);
        evidence.bond{value: 1 ether}();
    }

    function test_bond_revertsWithoutValue() public {
        vm.expectRevert(EvidenceRegistry.EvidenceRegistryZeroAmount.selector);
        vm.prank(evaluator1);
        evidence.bond();
    }

    function test_unbond_startsTheDelayForTheWholeUnbondingAmount() public {
        uint48 readyAt = uint48(block.timestamp) + UNBONDING_DELAY;
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.UnbondingStarted(evaluator1, 0.4 ether, 0.6 ether, 0.4 ether, readyAt);
        vm.prank(evaluator1);
        evidence.unbond(0.4 ether);
        (uint256 unbonding, uint48 ready) = _unbonding(evaluator1);
        assertEq(_bonded(evaluator1), 0.6 ether);
        assertEq(unbonding, 0.4 ether);
        assertEq(ready, readyAt);

        vm.warp(block.timestamp + 1 days);
        vm.prank(evaluator1);
        evidence.unbond(0.6 ether);
        (unbonding, ready) = _unbonding(evaluator1);
        assertEq(_bonded(evaluator1), 0);
        assertEq(unbonding, 1 ether);
        assertEq(ready, block.timestamp + UNBONDING_DELAY, "the delay restarts for the whole amount");
    }

    function test_unbond_revertsAboveTheBond() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryInsufficientBond.selector, MIN_BOND, MIN_BOND + 1
            )
        );
        vm.prank(evaluator1);
        evidence.unbond(MIN_BOND + 1);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInsufficientBond.selector, 0, 1)
        );
        vm.prank(alice);
        evidence.unbond(1);
    }

    function test_unbond_revertsOnZero() public {
        vm.expectRevert(EvidenceRegistry.EvidenceRegistryZeroAmount.selector);
        vm.prank(evaluator1);
        evidence.unbond(0);
    }

    function test_withdrawBond_paysOnceTheDelayHasPassed() public {
        vm.prank(evaluator1);
        evidence.unbond(MIN_BOND);
        (, uint48 readyAt) = _unbonding(evaluator1);
        vm.warp(readyAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryUnbondingLocked.selector, readyAt)
        );
        vm.prank(evaluator1);
        evidence.withdrawBond();

        vm.warp(readyAt);
        uint256 before = evaluator1.balance;
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.BondWithdrawn(evaluator1, MIN_BOND);
        vm.prank(evaluator1);
        evidence.withdrawBond();
        assertEq(evaluator1.balance, before + MIN_BOND);
        (uint256 unbonding, uint48 ready) = _unbonding(evaluator1);
        assertEq(unbonding, 0);
        assertEq(ready, 0);

        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNothingToWithdraw.selector, evaluator1)
        );
        vm.prank(evaluator1);
        evidence.withdrawBond();
    }

    function test_withdrawBond_revertsWhileADisputeIsOpen() public {
        _post(evaluator1, keccak256("r"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("r"), 0);
        vm.prank(evaluator1);
        evidence.unbond(MIN_BOND);
        vm.warp(block.timestamp + UNBONDING_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryDisputesOpen.selector, evaluator1, 1)
        );
        vm.prank(evaluator1);
        evidence.withdrawBond();

        _resolve(disputeId, false);
        vm.prank(evaluator1);
        evidence.withdrawBond();
        (uint256 unbonding,) = _unbonding(evaluator1);
        assertEq(unbonding, 0);
    }

    function test_removeEvaluator_movesTheBondToUnbonding() public {
        uint48 readyAt = uint48(block.timestamp) + UNBONDING_DELAY;
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.EvaluatorRemoved(evaluator1);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.UnbondingStarted(evaluator1, MIN_BOND, 0, MIN_BOND, readyAt);
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        (uint256 bonded, uint256 unbonding, uint48 ready, uint32 open) = evidence.stakeOf(evaluator1);
        assertEq(bonded, 0);
        assertEq(unbonding, MIN_BOND);
        assertEq(ready, readyAt);
        assertEq(open, 0);

        // Without a bond, removal starts no unbonding.
        _admitUnbonded(evaluator3);
        vm.recordLogs();
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator3)));
        assertEq(vm.getRecordedLogs().length, 1, "EvaluatorRemoved only");
    }

    /// @dev Removal moves the last evaluator into the removed one's place: each bond must stay with its owner.
    function test_removeEvaluator_keepsEachBondWithItsEvaluator() public {
        _admitUnbonded(evaluator3);
        _bond(evaluator3, 3 ether);
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        address[] memory admitted = evidence.evaluators();
        assertEq(admitted.length, 2);
        assertEq(admitted[0], evaluator3);
        assertEq(admitted[1], evaluator2);
        assertEq(_bonded(evaluator3), 3 ether);
        assertEq(_bonded(evaluator2), MIN_BOND);
        _post(evaluator3, keccak256("r3"));
        assertEq(_evidenceOf(evaluator3).bond, 3 ether);

        _admitUnbonded(evaluator1);
        assertEq(_bonded(evaluator1), 0, "re-admission starts without a bond");
        assertEq(evidence.evaluators()[2], evaluator1);
        // The last member leaves cleanly too.
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        assertEq(evidence.evaluators().length, 2);
        assertFalse(evidence.isEvaluator(evaluator1));
        assertTrue(evidence.isEvaluator(evaluator3));
    }

    function test_removeEvaluator_itsUnbondingStakeStaysSlashable() public {
        _post(evaluator1, keccak256("lie"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("lie"), 0);
        _asGovernance(address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluator1)));
        _resolve(disputeId, true);
        (uint256 bonded, uint256 unbonding,, uint32 open) = evidence.stakeOf(evaluator1);
        assertEq(bonded + unbonding + open, 0);
        assertEq(evidence.credits(disputer), MIN_BOND / 2 + DISPUTE_BOND);
        assertEq(evidence.credits(address(timelock)), MIN_BOND / 2);
    }

    function test_underbondedResultsDoNotCount() public {
        _admitUnbonded(evaluator3);
        _post(evaluator3, keccak256("r3"));
        _passChallengeWindow();
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Underbonded);
        _bond(evaluator3, MIN_BOND - 1);
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Underbonded);
        _bond(evaluator3, 1);
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Counts);
        vm.prank(evaluator3);
        evidence.unbond(1);
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Underbonded);
    }

    // ------------------------------------------------------------ disputes

    function test_dispute_opensWithEverythingTheIndexerNeeds() public {
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory named = _demoSample(3);
        EvidenceRegistry.Claim memory claim = _claimAgainst(named);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.ResultDisputed(
            1,
            _id(evaluator1),
            disputer,
            evaluator1,
            keccak256("r"),
            named,
            claim,
            DISPUTE_BOND,
            uint48(block.timestamp) + RESOLUTION_TIMEOUT
        );
        // Anyone may dispute: the disputer is not an evaluator.
        uint256 disputeId =
            _disputeWith(disputer, evaluator1, keccak256("r"), named, _demoProof(3), claim, DISPUTE_BOND);
        assertEq(disputeId, 1);
        assertEq(evidence.disputeCount(), 1);
        EvidenceRegistry.Dispute memory d = evidence.disputeOf(1);
        assertEq(d.resultId, _id(evaluator1));
        assertEq(d.reportDigest, keccak256("r"));
        assertEq(d.evaluator, evaluator1);
        assertEq(d.disputer, disputer);
        assertEq(d.bond, DISPUTE_BOND);
        assertEq(d.openedAt, block.timestamp);
        assertEq(uint8(d.status), uint8(EvidenceRegistry.DisputeStatus.Open));
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Disputed));
        _assertStanding(evaluator1, EvidenceRegistry.Standing.Disputed);
        assertEq(_openDisputes(evaluator1), 1);
        assertEq(address(evidence).balance, 2 * uint256(MIN_BOND) + DISPUTE_BOND);
        assertEq(uint8(evidence.disputeOf(2).status), uint8(EvidenceRegistry.DisputeStatus.None));
    }

    function test_dispute_revertsOnAWrongBond() public {
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory named = _demoSample(0);
        bytes32[] memory proof = _demoProof(0);
        EvidenceRegistry.Claim memory claim = _claimAgainst(named);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryWrongDisputeBond.selector, 0, DISPUTE_BOND
            )
        );
        _disputeWith(disputer, evaluator1, keccak256("r"), named, proof, claim, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryWrongDisputeBond.selector, DISPUTE_BOND + 1, DISPUTE_BOND
            )
        );
        _disputeWith(disputer, evaluator1, keccak256("r"), named, proof, claim, DISPUTE_BOND + 1);
    }

    function test_dispute_acceptedUntilTheLastSecondOfTheWindow() public {
        _post(evaluator1, keccak256("r"));
        uint256 closedAt = block.timestamp + CHALLENGE_PERIOD;
        assertEq(evidence.countsFrom(_id(evaluator1)), closedAt);
        vm.warp(closedAt - 1);
        _disputeSample(disputer, evaluator1, keccak256("r"), 0);
        vm.warp(closedAt);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryChallengeWindowClosed.selector, _id(evaluator1), closedAt
            )
        );
        _disputeSample(evaluator2, evaluator1, keccak256("r"), 0);
    }

    function test_dispute_revertsOnAnotherReport() public {
        _post(evaluator1, keccak256("r"));
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryReportMismatch.selector,
                _id(evaluator1),
                keccak256("r"),
                keccak256("older")
            )
        );
        _disputeSample(disputer, evaluator1, keccak256("older"), 0);
    }

    function test_dispute_revertsOnOwnResult() public {
        _post(evaluator1, keccak256("r"));
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistrySelfDispute.selector, evaluator1)
        );
        _disputeSample(evaluator1, evaluator1, keccak256("r"), 0);
    }

    function test_dispute_revertsWithoutAResult() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryNotDisputable.selector,
                _id(evaluator1),
                EvidenceRegistry.ResultStatus.None
            )
        );
        _disputeSample(disputer, evaluator1, bytes32(0), 0);
    }

    function test_dispute_revertsOnAStruckResult() public {
        _post(evaluator1, keccak256("r"));
        _resolve(_disputeSample(disputer, evaluator1, keccak256("r"), 0), true);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryNotDisputable.selector,
                _id(evaluator1),
                EvidenceRegistry.ResultStatus.Struck
            )
        );
        _disputeSample(evaluator2, evaluator1, keccak256("r"), 1);
    }

    function test_dispute_revertsOnAProofThatDoesNotMatch() public {
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory named = _demoSample(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryInvalidSampleProof.selector, _id(evaluator1), "msg-0"
            )
        );
        _disputeWith(
            disputer, evaluator1, keccak256("r"), named, _demoProof(1), _claimAgainst(named), DISPUTE_BOND
        );
    }

    function test_dispute_revertsWhenTheClaimIsTheCommittedOutcome() public {
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory named = _demoSample(2);
        EvidenceRegistry.Claim memory same =
            EvidenceRegistry.Claim(named.prediction, named.score, keccak256("mine"), "ipfs://mine");
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryClaimMatchesCommitted.selector, "msg-2")
        );
        _disputeWith(disputer, evaluator1, keccak256("r"), named, _demoProof(2), same, DISPUTE_BOND);
        // A different score alone is a claim.
        same.score += 1;
        _disputeWith(disputer, evaluator1, keccak256("r"), named, _demoProof(2), same, DISPUTE_BOND);
    }

    /// @dev Several parties may dispute one version at once (the same party too: each dispute costs a bond);
    /// the result is valid again only when the last one is rejected.
    function test_dispute_severalDisputersOnOneResult() public {
        _post(evaluator1, keccak256("r"));
        uint256 first = _disputeSample(disputer, evaluator1, keccak256("r"), 0);
        uint256 second = _disputeSample(evaluator2, evaluator1, keccak256("r"), 1);
        uint256 third = _disputeSample(disputer, evaluator1, keccak256("r"), 2);
        assertEq(_openDisputes(evaluator1), 3);
        _resolve(first, false);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Disputed));
        _resolve(third, false);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Disputed));
        _resolve(second, false);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
        assertEq(_openDisputes(evaluator1), 0);
        assertEq(evidence.credits(evaluator1), 3 * uint256(DISPUTE_BOND));
    }

    // ------------------------------------------------------------ new versions while disputed

    function test_submitResult_whileDisputedStartsANewVersionAndTheOldDisputeStillSlashes() public {
        _post(evaluator1, keccak256("v1"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("v1"), 0);
        vm.warp(block.timestamp + 1 days);
        _post(evaluator1, keccak256("v2"));
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
        assertEq(
            evidence.countsFrom(_id(evaluator1)), block.timestamp + CHALLENGE_PERIOD, "a window of its own"
        );
        _assertStanding(evaluator1, EvidenceRegistry.Standing.InWindow);

        _resolve(disputeId, true);
        assertEq(_bonded(evaluator1), 0, "slashed");
        assertEq(
            uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid), "the new version stands"
        );
        _assertStanding(evaluator1, EvidenceRegistry.Standing.Underbonded);
        // The struck version may never come back.
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryReportStruck.selector, _id(evaluator1), keccak256("v1")
            )
        );
        _post(evaluator1, keccak256("v1"));
    }

    function test_submitResult_refusesTheStruckReportAndAcceptsAnother() public {
        _post(evaluator1, keccak256("lie"));
        _resolve(_disputeSample(disputer, evaluator1, keccak256("lie"), 0), true);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryReportStruck.selector, _id(evaluator1), keccak256("lie")
            )
        );
        _post(evaluator1, keccak256("lie"));
        _post(evaluator1, keccak256("rerun"));
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
    }

    function test_submitResult_aVersionPostedAgainWhileStillDisputedIsDisputed() public {
        _post(evaluator1, keccak256("v1"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("v1"), 0);
        _post(evaluator1, keccak256("v2"));
        _post(evaluator1, keccak256("v1"));
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Disputed));
        _resolve(disputeId, false);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
        // A dispute closed while its version was not live leaves the live one alone.
        uint256 other = _disputeSample(evaluator2, evaluator1, keccak256("v1"), 1);
        _post(evaluator1, keccak256("v3"));
        _resolve(other, true);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
    }

    // ------------------------------------------------------------ resolution

    function test_resolveDispute_upheldStrikesAndSlashesTheWholeStake() public {
        _bond(evaluator1, 1 ether);
        vm.prank(evaluator1);
        evidence.unbond(0.5 ether); // 1.5 ether active, 0.5 ether unbonding: 2 ether at stake
        _post(evaluator1, keccak256("lie"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("lie"), 0);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.DisputeResolved(
            disputeId, _id(evaluator1), evaluator1, true, false, 2 ether, 1 ether + DISPUTE_BOND, 0, 1 ether
        );
        _resolve(disputeId, true);

        (uint256 bonded, uint256 unbonding, uint48 readyAt, uint32 open) = evidence.stakeOf(evaluator1);
        assertEq(bonded + unbonding + readyAt + open, 0);
        assertEq(evidence.credits(disputer), 1 ether + DISPUTE_BOND);
        assertEq(evidence.credits(address(timelock)), 1 ether);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Struck));
        _assertStanding(evaluator1, EvidenceRegistry.Standing.Struck);
        assertEq(uint8(evidence.disputeOf(disputeId).status), uint8(EvidenceRegistry.DisputeStatus.Upheld));
        // What the contract holds is exactly what it owes: evaluator2's bond and the credits.
        assertEq(address(evidence).balance, MIN_BOND + 2 ether + DISPUTE_BOND);
    }

    function test_resolveDispute_aLaterUpheldDisputeSlashesWhatIsLeft() public {
        _post(evaluator1, keccak256("lie"));
        uint256 first = _disputeSample(disputer, evaluator1, keccak256("lie"), 0);
        uint256 second = _disputeSample(evaluator2, evaluator1, keccak256("lie"), 1);
        _resolve(first, true);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.DisputeResolved(
            second, _id(evaluator1), evaluator1, true, false, 0, DISPUTE_BOND, 0, 0
        );
        _resolve(second, true);
        assertEq(evidence.credits(evaluator2), DISPUTE_BOND, "its bond back, nothing more");
        assertEq(evidence.credits(disputer), MIN_BOND / 2 + DISPUTE_BOND);
    }

    function test_resolveDispute_rejectedPaysTheEvaluatorAndBarsTheDisputer() public {
        _post(evaluator1, keccak256("r"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("r"), 0);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.DisputeResolved(
            disputeId, _id(evaluator1), evaluator1, false, false, 0, 0, DISPUTE_BOND, 0
        );
        _resolve(disputeId, false);
        assertEq(evidence.credits(evaluator1), DISPUTE_BOND);
        assertEq(_bonded(evaluator1), MIN_BOND, "nothing slashed");
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
        assertEq(uint8(evidence.disputeOf(disputeId).status), uint8(EvidenceRegistry.DisputeStatus.Rejected));
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryDisputerBarred.selector, _id(evaluator1), disputer
            )
        );
        _disputeSample(disputer, evaluator1, keccak256("r"), 1);
        // Others still may; and the barred party may dispute the evaluator's next version.
        _disputeSample(evaluator2, evaluator1, keccak256("r"), 1);
        _post(evaluator1, keccak256("r2"));
        _disputeSample(disputer, evaluator1, keccak256("r2"), 1);
    }

    function test_resolveDispute_byGovernanceOrTheResolverOnly() public {
        _post(evaluator1, keccak256("r"));
        uint256 first = _disputeSample(disputer, evaluator1, keccak256("r"), 0);
        uint256 second = _disputeSample(evaluator2, evaluator1, keccak256("r"), 1);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotResolver.selector, council)
        );
        vm.prank(council);
        evidence.resolveDispute(first, true);

        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.ResolverSet(address(0), council);
        _asGovernance(address(evidence), abi.encodeCall(evidence.setResolver, (council)));
        assertEq(evidence.resolver(), council);
        vm.prank(council);
        evidence.resolveDispute(first, false);
        _resolve(second, false);

        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotResolver.selector, griefer)
        );
        vm.prank(griefer);
        evidence.resolveDispute(first, true);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryDisputeNotOpen.selector, first)
        );
        vm.prank(council);
        evidence.resolveDispute(first, true);
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryDisputeNotOpen.selector, 99));
        _resolve(99, true);
    }

    function test_setResolver_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, council));
        vm.prank(council);
        evidence.setResolver(council);
    }

    function test_resolveLapsedDispute_rejectsByDefaultOnceTimeIsUp() public {
        _post(evaluator1, keccak256("r"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("r"), 0);
        uint256 lapsesAt = block.timestamp + RESOLUTION_TIMEOUT;
        vm.warp(lapsesAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryResolutionNotLapsed.selector, disputeId, lapsesAt
            )
        );
        evidence.resolveLapsedDispute(disputeId);

        vm.warp(lapsesAt);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.DisputeResolved(
            disputeId, _id(evaluator1), evaluator1, false, true, 0, 0, DISPUTE_BOND, 0
        );
        vm.prank(griefer); // anyone
        evidence.resolveLapsedDispute(disputeId);
        assertEq(evidence.credits(evaluator1), DISPUTE_BOND);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Valid));
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryDisputeNotOpen.selector, disputeId)
        );
        evidence.resolveLapsedDispute(disputeId);

        // The default bars the disputer like a rejection: were the window open again, it could not re-dispute.
        EvidenceRegistry.GameParameters memory longer = _gameParameters();
        longer.challengePeriod = RESOLUTION_TIMEOUT + 1;
        longer.unbondingDelay = RESOLUTION_TIMEOUT + 2;
        _asGovernance(address(evidence), abi.encodeCall(evidence.setGameParameters, (longer)));
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryDisputerBarred.selector, _id(evaluator1), disputer
            )
        );
        _disputeSample(disputer, evaluator1, keccak256("r"), 1);
    }

    function test_resolveDispute_stillPossibleAfterTheLapseUntilSomeoneClosesIt() public {
        _post(evaluator1, keccak256("lie"));
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("lie"), 0);
        vm.warp(block.timestamp + RESOLUTION_TIMEOUT + 1 days);
        _resolve(disputeId, true);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Struck));
    }

    // ------------------------------------------------------------ payouts

    function test_withdrawCredit_paysTheAccountWhoeverCalls() public {
        _post(evaluator1, keccak256("lie"));
        _resolve(_disputeSample(disputer, evaluator1, keccak256("lie"), 0), true);
        uint256 owed = MIN_BOND / 2 + DISPUTE_BOND;
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.CreditWithdrawn(disputer, owed);
        vm.prank(griefer);
        evidence.withdrawCredit(disputer);
        assertEq(disputer.balance, owed);
        assertEq(griefer.balance, 0);
        assertEq(evidence.credits(disputer), 0);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNothingToWithdraw.selector, disputer)
        );
        evidence.withdrawCredit(disputer);

        // The treasury's share reaches the timelock without a proposal.
        evidence.withdrawCredit(address(timelock));
        assertEq(address(timelock).balance, MIN_BOND / 2);
    }

    function test_withdrawCredit_aReceiverThatRevertsCannotBlockResolution() public {
        _post(evaluator1, keccak256("lie"));
        RefusingDisputer refuser = new RefusingDisputer();
        vm.deal(address(refuser), DISPUTE_BOND);
        EvidenceRegistry.Sample memory named = _demoSample(0);
        uint256 disputeId = refuser.dispute(
            evidence,
            MODEL_V2,
            DETECTION_SUITE,
            evaluator1,
            keccak256("lie"),
            named,
            _demoProof(0),
            _claimAgainst(named)
        );
        _resolve(disputeId, true);
        assertEq(uint8(_status(evaluator1)), uint8(EvidenceRegistry.ResultStatus.Struck));
        vm.expectRevert(bytes("no ether, thanks"));
        evidence.withdrawCredit(address(refuser));
        assertEq(evidence.credits(address(refuser)), MIN_BOND / 2 + DISPUTE_BOND, "the credit waits");
        evidence.withdrawCredit(address(timelock));
    }

    /// @dev A receiver that calls back for its credit while being paid gets it once: the credit is gone first.
    function test_withdrawCredit_aReentrantReceiverIsPaidOnce() public {
        _post(evaluator1, keccak256("lie"));
        ReentrantDisputer reentrant = new ReentrantDisputer();
        vm.deal(address(reentrant), DISPUTE_BOND);
        EvidenceRegistry.Sample memory named = _demoSample(0);
        uint256 disputeId = reentrant.dispute(
            evidence,
            MODEL_V2,
            DETECTION_SUITE,
            evaluator1,
            keccak256("lie"),
            named,
            _demoProof(0),
            _claimAgainst(named)
        );
        _resolve(disputeId, true);
        uint256 owed = MIN_BOND / 2 + DISPUTE_BOND;
        evidence.withdrawCredit(address(reentrant));
        assertEq(address(reentrant).balance, owed);
        assertEq(
            reentrant.reentryError(),
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryNothingToWithdraw.selector, address(reentrant)
            )
        );
    }

    // ------------------------------------------------------------ parameters

    function test_setGameParameters_appliesAtOnceAndRetimesOpenWindows() public {
        _post(evaluator1, keccak256("r"));
        uint256 postedAt = block.timestamp;
        EvidenceRegistry.GameParameters memory p = _gameParameters();
        p.challengePeriod = 3 days;
        p.disputeBond = 0.2 ether;
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.GameParametersSet(p);
        _asGovernance(address(evidence), abi.encodeCall(evidence.setGameParameters, (p)));
        assertEq(abi.encode(evidence.gameParameters()), abi.encode(p));
        assertEq(evidence.countsFrom(_id(evaluator1)), postedAt + 3 days);
        vm.warp(postedAt + CHALLENGE_PERIOD);
        _assertStanding(evaluator1, EvidenceRegistry.Standing.InWindow);
    }

    function test_setGameParameters_refusesWhatBreaksTheGame() public {
        EvidenceRegistry.GameParameters[] memory bad = _badParameters();
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    EvidenceRegistry.EvidenceRegistryInvalidGameParameters.selector, bad[i]
                )
            );
            _asGovernance(address(evidence), abi.encodeCall(evidence.setGameParameters, (bad[i])));
            vm.expectRevert(
                abi.encodeWithSelector(
                    EvidenceRegistry.EvidenceRegistryInvalidGameParameters.selector, bad[i]
                )
            );
            new EvidenceRegistry(address(timelock), bad[i], address(0));
        }
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, alice));
        vm.prank(alice);
        evidence.setGameParameters(_gameParameters());
    }

    function _badParameters() internal pure returns (EvidenceRegistry.GameParameters[] memory bad) {
        bad = new EvidenceRegistry.GameParameters[](9);
        for (uint256 i; i < bad.length; ++i) {
            bad[i] = _gameParameters();
        }
        bad[0].challengePeriod = 0;
        bad[1].minBond = 0;
        bad[2].disputeBond = 0;
        bad[3].resolutionTimeout = 0;
        bad[4].unbondingDelay = CHALLENGE_PERIOD; // nobody may exit before a dispute can close the window
        bad[5].unbondingDelay = uint48(365 days + 1);
        bad[6].resolutionTimeout = uint48(365 days + 1);
        bad[7].disputerShareBps = 10_001;
        bad[8].challengePeriod = type(uint48).max;
    }

    function test_constructor_setsTheParametersAndTheResolver() public {
        vm.expectEmit();
        emit EvidenceRegistry.GameParametersSet(_gameParameters());
        vm.expectEmit();
        emit EvidenceRegistry.ResolverSet(address(0), council);
        EvidenceRegistry registry = new EvidenceRegistry(address(timelock), _gameParameters(), council);
        assertEq(registry.resolver(), council);
        assertEq(abi.encode(registry.gameParameters()), abi.encode(_gameParameters()));
        assertEq(evidence.resolver(), address(0));
    }

    // ------------------------------------------------------------ standing

    function test_evidenceFor_standingPrecedence() public {
        _admitUnbonded(evaluator3);
        _post(evaluator3, keccak256("r3"));
        _post(evaluator1, keccak256("r1"));
        uint256 postedAt = block.timestamp;
        // In its window and underbonded: underbonded says more.
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Underbonded);
        _assertStanding(evaluator1, EvidenceRegistry.Standing.InWindow);
        EvidenceRegistry.Evidence memory e1 = _evidenceOf(evaluator1);
        assertEq(e1.submittedAt, postedAt);
        assertEq(e1.countsFrom, postedAt + CHALLENGE_PERIOD);
        assertEq(e1.bond, MIN_BOND);
        assertEq(e1.value, 0.95e18);
        // Disputed beats underbonded and in-window; struck beats everything.
        uint256 disputeId = _disputeSample(disputer, evaluator3, keccak256("r3"), 0);
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Disputed);
        _resolve(disputeId, true);
        _assertStanding(evaluator3, EvidenceRegistry.Standing.Struck);
        vm.warp(postedAt + CHALLENGE_PERIOD - 1);
        _assertStanding(evaluator1, EvidenceRegistry.Standing.InWindow);
        vm.warp(postedAt + CHALLENGE_PERIOD);
        _assertStanding(evaluator1, EvidenceRegistry.Standing.Counts);
    }

    function test_countsFrom_isZeroWithoutAResult() public view {
        assertEq(evidence.countsFrom(_id(evaluator1)), 0);
    }

    // ------------------------------------------------------------ the attacks of issue 13

    /// @dev Two colluding evaluators post passing results and execute the queued approval in the same
    /// transaction, before anyone can look: the results are still in their challenge window.
    function test_attack_collusionPostsAndExecutesInOneTransaction() public {
        _setDemoPolicy(2);
        _asGovernance(address(models), abi.encodeCall(models.setFamilyPolicy, ("mail-guard", MAIL_SAFETY)));
        models.register("mail-guard", "v2", MODEL_V2, "file://v2", 0);
        bytes memory approval = _approvalCall(MODEL_V2);
        _proposePassQueue(address(models), approval, "Approve mail-guard v2");

        AtomicColluder.SignedSubmission[] memory posts = new AtomicColluder.SignedSubmission[](4);
        uint256 deadline = block.timestamp + 1 hours;
        for (uint256 i; i < 4; ++i) {
            (uint256 key, address signer) = i < 2 ? (evaluatorKey1, evaluator1) : (evaluatorKey2, evaluator2);
            EvidenceRegistry.Submission memory submission = i % 2 == 0
                ? _submission(
                    MODEL_V2, DETECTION_SUITE, _values(0.99e18, 0.99e18), keccak256(abi.encode("d", i))
                )
                : _submission(MODEL_V2, OVERBLOCKING_SUITE, _values(0.01e18), keccak256(abi.encode("o", i)));
            posts[i] = AtomicColluder.SignedSubmission(
                submission, signer, _signSubmission(key, submission, i % 2, deadline)
            );
        }
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(models), approval);
        bytes memory execution = abi.encodeCall(
            governor.execute, (targets, values, calldatas, keccak256("Approve mail-guard v2"))
        );
        AtomicColluder colluder = new AtomicColluder();
        vm.expectRevert(
            abi.encodeWithSelector(
                PolicyRegistry.PolicyRegistryEvidenceInChallengeWindow.selector,
                0,
                DETECTION_SUITE,
                evaluator1,
                block.timestamp + CHALLENGE_PERIOD
            )
        );
        colluder.postAndExecute(evidence, posts, deadline, address(governor), execution);

        // Posted in the open, the same results count once their window has passed without a dispute.
        for (uint256 i; i < posts.length; ++i) {
            evidence.submitResultWithSignature(
                posts[i].submission, posts[i].signer, deadline, posts[i].signature
            );
        }
        _passChallengeWindow();
        (bool executed,) = address(governor).call(execution);
        assertTrue(executed);
        assertTrue(models.isApproved(MODEL_V2));
    }

    /// @dev A griefer can no longer freeze an honest result for free: a dispute costs a bond, which a wrong
    /// claim loses to the evaluator, and the griefer cannot dispute that result again.
    function test_attack_grieferLosesItsBondAndCannotDisputeAgain() public {
        _post(evaluator1, keccak256("honest"));
        EvidenceRegistry.Sample memory named = _demoSample(1);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryWrongDisputeBond.selector, 0, DISPUTE_BOND
            )
        );
        _disputeWith(griefer, evaluator1, keccak256("honest"), named, _demoProof(1), _claimAgainst(named), 0);

        uint256 disputeId = _disputeSample(griefer, evaluator1, keccak256("honest"), 1);
        _resolve(disputeId, false);
        assertEq(griefer.balance, 0);
        evidence.withdrawCredit(evaluator1);
        assertEq(evaluator1.balance, DISPUTE_BOND, "the frozen party is paid");
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryDisputerBarred.selector, _id(evaluator1), griefer
            )
        );
        _disputeSample(griefer, evaluator1, keccak256("honest"), 2);
    }

    /// @dev A liar tries to take its stake out before the dispute lands: its result stops counting as soon as
    /// the bond leaves, the unbonding outlasts the window, and an open dispute holds it for slashing.
    function test_attack_exitBeforeTheDisputeIsSlashedAnyway() public {
        _post(evaluator1, keccak256("lie"));
        vm.prank(evaluator1);
        evidence.unbond(MIN_BOND);
        _assertStanding(evaluator1, EvidenceRegistry.Standing.Underbonded);
        (, uint48 readyAt) = _unbonding(evaluator1);
        assertGt(readyAt, evidence.countsFrom(_id(evaluator1)), "unbonding outlasts the window");

        vm.warp(block.timestamp + CHALLENGE_PERIOD - 1);
        uint256 disputeId = _disputeSample(disputer, evaluator1, keccak256("lie"), 0);
        vm.warp(readyAt);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryDisputesOpen.selector, evaluator1, 1)
        );
        vm.prank(evaluator1);
        evidence.withdrawBond();
        _resolve(disputeId, true);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNothingToWithdraw.selector, evaluator1)
        );
        vm.prank(evaluator1);
        evidence.withdrawBond();
        assertEq(evidence.credits(disputer), MIN_BOND / 2 + DISPUTE_BOND);
    }

    // ------------------------------------------------------------ per-sample proofs

    function test_merkleTree_isTheOneOpenZeppelinsJavaScriptBuilds() public pure {
        EvidenceRegistry.Sample[] memory samples = _demoSamples();
        bytes32[] memory leaves = new bytes32[](samples.length);
        for (uint256 i; i < samples.length; ++i) {
            leaves[i] = _sampleLeaf(samples[i]);
        }
        assertEq(_merkleTree(leaves)[0], DEMO_SAMPLES_ROOT);
        // StandardMerkleTree.of(values, ['string','uint256','uint256','uint256']).getProof(2)
        bytes32[] memory expected = new bytes32[](3);
        expected[0] = 0x05063e270e0a8457b14be067de6819afd6c9ff65a0681f4b8a6b17d56b950e7f;
        expected[1] = 0xe721501a773423f9df06924023e04cba743bb69566323f9761e3ffc50e135215;
        expected[2] = 0xa6cf0d9354bdbde40e7e9da4c25bd29b0d668b222e17f2ff0c945cc11d28e760;
        assertEq(_demoProof(2), expected);
    }

    function test_verifySample_acceptsProofAgainstSamplesRoot() public {
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory s = _demoSample(4);
        assertTrue(
            evidence.verifySample(_id(evaluator1), s.id, s.label, s.prediction, s.score, _demoProof(4))
        );
        assertFalse(evidence.verifySample(_id(evaluator1), s.id, s.label, 0, s.score, _demoProof(4)));
    }

    /// @dev A random report of 1 to 128 samples: every leaf's proof is accepted, by the view and by a dispute.
    function testFuzz_dispute_acceptsEveryLeafOfARealTree(uint256 seed, uint256 size, uint256 index) public {
        size = bound(size, 1, 128);
        index = bound(index, 0, size - 1);
        (EvidenceRegistry.Sample[] memory samples, bytes32[] memory tree) = _randomTree(seed, size);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("random"));
        s.samplesRoot = tree[0];
        vm.prank(evaluator1);
        evidence.submitResult(s);
        EvidenceRegistry.Sample memory named = samples[index];
        bytes32[] memory proof = _merkleProof(tree, _sampleLeaf(named));
        assertTrue(
            evidence.verifySample(
                _id(evaluator1), named.id, named.label, named.prediction, named.score, proof
            )
        );
        _disputeWith(
            disputer, evaluator1, keccak256("random"), named, proof, _claimAgainst(named), DISPUTE_BOND
        );
    }

    /// @dev Any change to any field of the named leaf is refused.
    function testFuzz_dispute_refusesATamperedLeaf(uint256 index, uint256 field, uint256 delta) public {
        index = bound(index, 0, 4);
        delta = bound(delta, 1, type(uint256).max);
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory named = _demoSample(index);
        EvidenceRegistry.Claim memory claim = _claimAgainst(named);
        field = field % 4;
        unchecked {
            if (field == 0) named.id = string.concat(named.id, vm.toString(delta));
            else if (field == 1) named.label += delta;
            else if (field == 2) named.prediction += delta;
            else named.score += delta;
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryInvalidSampleProof.selector, _id(evaluator1), named.id
            )
        );
        _disputeWith(disputer, evaluator1, keccak256("r"), named, _demoProof(index), claim, DISPUTE_BOND);
    }

    /// @dev Any change to any element of the proof is refused.
    function testFuzz_dispute_refusesATamperedProofElement(
        uint256 index,
        uint256 position,
        bytes32 replacement
    ) public {
        index = bound(index, 0, 4);
        _post(evaluator1, keccak256("r"));
        EvidenceRegistry.Sample memory named = _demoSample(index);
        bytes32[] memory proof = _demoProof(index);
        position = bound(position, 0, proof.length - 1);
        vm.assume(replacement != proof[position]);
        proof[position] = replacement;
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryInvalidSampleProof.selector, _id(evaluator1), named.id
            )
        );
        _disputeWith(disputer, evaluator1, keccak256("r"), named, proof, _claimAgainst(named), DISPUTE_BOND);
    }

    /// @dev A proof for another position, the right proof in another order, cut short or extended: refused.
    function testFuzz_dispute_refusesAProofOfAnotherIndexOrOrder(
        uint256 seed,
        uint256 index,
        uint256 other,
        uint256 mode
    ) public {
        (EvidenceRegistry.Sample[] memory samples, bytes32[] memory tree) = _randomTree(seed, 16);
        index = bound(index, 0, 15);
        other = bound(other, 0, 15);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("random"));
        s.samplesRoot = tree[0];
        vm.prank(evaluator1);
        evidence.submitResult(s);

        EvidenceRegistry.Sample memory named = samples[index];
        bytes32[] memory proof = _merkleProof(tree, _sampleLeaf(named)); // depth 4
        mode = mode % 4;
        if (mode == 0) {
            vm.assume(other != index);
            proof = _merkleProof(tree, _sampleLeaf(samples[other]));
        } else if (mode == 1) {
            uint256 a = other % proof.length;
            uint256 b = (a + 1 + seed % (proof.length - 1)) % proof.length;
            vm.assume(proof[a] != proof[b]);
            (proof[a], proof[b]) = (proof[b], proof[a]);
        } else if (mode == 2) {
            assembly ("memory-safe") {
                mstore(proof, sub(mload(proof), 1))
            }
        } else {
            bytes32[] memory longer = new bytes32[](proof.length + 1);
            for (uint256 i; i < proof.length; ++i) {
                longer[i] = proof[i];
            }
            longer[proof.length] = keccak256(abi.encode(seed));
            proof = longer;
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryInvalidSampleProof.selector, _id(evaluator1), named.id
            )
        );
        _disputeWith(
            disputer, evaluator1, keccak256("random"), named, proof, _claimAgainst(named), DISPUTE_BOND
        );
    }

    function _randomTree(uint256 seed, uint256 size)
        internal
        pure
        returns (EvidenceRegistry.Sample[] memory samples, bytes32[] memory tree)
    {
        samples = new EvidenceRegistry.Sample[](size);
        bytes32[] memory leaves = new bytes32[](size);
        for (uint256 i; i < size; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            samples[i] =
                EvidenceRegistry.Sample(string.concat("s-", vm.toString(i)), r & 1, (r >> 1) & 1, r % 1e18);
            leaves[i] = _sampleLeaf(samples[i]);
        }
        tree = _merkleTree(leaves);
    }
}

/// @dev A disputer whose address refuses ether: its payout must wait without blocking the resolution.
contract RefusingDisputer {
    function dispute(
        EvidenceRegistry evidence,
        bytes32 modelId,
        bytes32 suiteId,
        address evaluator,
        bytes32 reportDigest,
        EvidenceRegistry.Sample calldata committed,
        bytes32[] calldata proof,
        EvidenceRegistry.Claim calldata claim
    ) external returns (uint256) {
        return evidence.dispute{value: address(this).balance}(
            modelId, suiteId, evaluator, reportDigest, committed, proof, claim
        );
    }

    receive() external payable virtual {
        revert("no ether, thanks");
    }
}

/// @dev A disputer that asks for its credit again while being paid, and keeps the answer.
contract ReentrantDisputer is RefusingDisputer {
    bytes public reentryError;

    receive() external payable override {
        try EvidenceRegistry(payable(msg.sender)).withdrawCredit(address(this)) {
            reentryError = "paid twice";
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @dev Colluding evaluators' relayer: posts their signed results and executes the queued approval in one call.
contract AtomicColluder {
    struct SignedSubmission {
        EvidenceRegistry.Submission submission;
        address signer;
        bytes signature;
    }

    function postAndExecute(
        EvidenceRegistry evidence,
        SignedSubmission[] calldata posts,
        uint256 deadline,
        address governor,
        bytes calldata execution
    ) external {
        for (uint256 i; i < posts.length; ++i) {
            evidence.submitResultWithSignature(
                posts[i].submission, posts[i].signer, deadline, posts[i].signature
            );
        }
        (bool ok, bytes memory returned) = governor.call(execution);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
    }
}
