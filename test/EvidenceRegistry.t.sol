// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "../contracts/src/EvidenceRegistry.sol";
import {Governed} from "../contracts/src/Governed.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

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
            keccak256("root"),
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

    function test_submitResult_revertsWhileDisputed() public {
        _submitPassing(evaluator1, MODEL_V2);
        _disputeDetection(evaluator2, evaluator1);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryResultDisputed.selector,
                evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1)
            )
        );
        vm.prank(evaluator1);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("escape")));
    }

    // ------------------------------------------------------------ signed submissions

    function _sign(uint256 key, EvidenceRegistry.Submission memory s, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                evidence.SUBMISSION_TYPEHASH(),
                s.modelId,
                s.suiteId,
                keccak256(abi.encodePacked(s.metricIds)),
                keccak256(abi.encodePacked(s.values)),
                s.reportDigest,
                s.samplesRoot,
                keccak256(bytes(s.uri)),
                vm.addr(key),
                nonce,
                deadline
            )
        );
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            evidence.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        (uint8 v, bytes32 r, bytes32 sig) = vm.sign(key, MessageHashUtils.toTypedDataHash(domain, structHash));
        return abi.encodePacked(r, sig, v);
    }

    function testFuzz_submitResultWithSignature_relayedByAnyone(
        address relayer,
        uint96 accuracy,
        uint96 f1,
        bytes32 reportDigest
    ) public {
        vm.assume(reportDigest != 0);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(accuracy, f1), reportDigest);
        bytes memory signature = _sign(evaluatorKey1, s, 0, block.timestamp);
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
        bytes memory signature = _sign(key, s, 0, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryInvalidSignature.selector, evaluator1)
        );
        evidence.submitResultWithSignature(s, evaluator1, block.timestamp, signature);
    }

    function testFuzz_submitResultWithSignature_rejectsTamperedSubmission(uint96 forgedF1) public {
        vm.assume(forgedF1 != 0.5e18);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(0.5e18, 0.5e18), keccak256("r"));
        bytes memory signature = _sign(evaluatorKey1, s, 0, block.timestamp);
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
        bytes memory signature = _sign(evaluatorKey1, s, 0, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistrySignatureExpired.selector, deadline)
        );
        evidence.submitResultWithSignature(s, evaluator1, deadline, signature);
    }

    function test_submitResultWithSignature_revertsIfSignerNotEvaluator() public {
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        bytes memory signature = _sign(evaluatorKey3, s, 0, block.timestamp);
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
        signature = _sign(key, s, nonce, block.timestamp + 1 days);
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

    // ------------------------------------------------------------ disputes

    function _disputeDetection(address disputer, address evaluator) internal returns (bytes32 id) {
        _disputeDetection(disputer, evaluator, _liveDigest(evaluator));
        return evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator);
    }

    function _disputeDetection(address disputer, address evaluator, bytes32 reportDigest) internal {
        vm.prank(disputer);
        evidence.dispute(MODEL_V2, DETECTION_SUITE, evaluator, reportDigest, "does not reproduce");
    }

    function _liveDigest(address evaluator) internal view returns (bytes32) {
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator);
        return live.reportDigest;
    }

    function test_dispute_marksResultDisputed() public {
        _submitPassing(evaluator1, MODEL_V2);
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.ResultDisputed(id, evaluator2, live.reportDigest, "does not reproduce");
        _disputeDetection(evaluator2, evaluator1);
        (live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Disputed));
    }

    function test_dispute_revertsIfNotEvaluator() public {
        _submitPassing(evaluator1, MODEL_V2);
        bytes32 digest = _liveDigest(evaluator1);
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNotEvaluator.selector, alice));
        _disputeDetection(alice, evaluator1, digest);
    }

    function test_dispute_revertsOnOwnResult() public {
        _submitPassing(evaluator1, MODEL_V2);
        bytes32 digest = _liveDigest(evaluator1);
        vm.expectRevert(
            abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistrySelfDispute.selector, evaluator1)
        );
        _disputeDetection(evaluator1, evaluator1, digest);
    }

    function test_dispute_revertsWithoutResult() public {
        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryNotDisputable.selector,
                id,
                EvidenceRegistry.ResultStatus.None
            )
        );
        _disputeDetection(evaluator2, evaluator1, bytes32(0));
    }

    function test_dispute_revertsOnSupersededReport() public {
        _submitPassing(evaluator1, MODEL_V2);
        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectRevert(
            abi.encodeWithSelector(
                EvidenceRegistry.EvidenceRegistryReportMismatch.selector,
                id,
                live.reportDigest,
                keccak256("older")
            )
        );
        vm.prank(evaluator2);
        evidence.dispute(MODEL_V2, DETECTION_SUITE, evaluator1, keccak256("older"), "stale");
    }

    function test_resolveDispute_upheldStrikesResult() public {
        _submitPassing(evaluator1, MODEL_V2);
        bytes32 id = _disputeDetection(evaluator2, evaluator1);
        vm.expectEmit(address(evidence));
        emit EvidenceRegistry.DisputeResolved(id, true);
        _asGovernance(address(evidence), abi.encodeCall(evidence.resolveDispute, (id, true)));
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Struck));
        // A struck result can be replaced by a new one, which counts again.
        vm.prank(evaluator1);
        evidence.submitResult(_submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("rerun")));
        (live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Valid));
    }

    function test_resolveDispute_rejectedRestoresResult() public {
        _submitPassing(evaluator1, MODEL_V2);
        bytes32 id = _disputeDetection(evaluator2, evaluator1);
        _asGovernance(address(evidence), abi.encodeCall(evidence.resolveDispute, (id, false)));
        (EvidenceRegistry.Result memory live,) = evidence.result(MODEL_V2, DETECTION_SUITE, evaluator1);
        assertEq(uint8(live.status), uint8(EvidenceRegistry.ResultStatus.Valid));
    }

    function test_resolveDispute_revertsWithoutDispute() public {
        _submitPassing(evaluator1, MODEL_V2);
        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        vm.expectRevert(abi.encodeWithSelector(EvidenceRegistry.EvidenceRegistryNoDispute.selector, id));
        _asGovernance(address(evidence), abi.encodeCall(evidence.resolveDispute, (id, true)));
    }

    function test_resolveDispute_revertsUnlessGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Governed.GovernedUnauthorized.selector, evaluator2));
        vm.prank(evaluator2);
        evidence.resolveDispute(bytes32(0), true);
    }

    // ------------------------------------------------------------ per-sample proofs

    function test_verifySample_acceptsProofAgainstSamplesRoot() public {
        // Two leaves as OpenZeppelin's StandardMerkleTree hashes them; the root is their sorted-pair hash.
        bytes32 leafA =
            keccak256(bytes.concat(keccak256(abi.encode("msg-1", uint256(1), uint256(1), uint256(0.9e18)))));
        bytes32 leafB =
            keccak256(bytes.concat(keccak256(abi.encode("msg-2", uint256(0), uint256(1), uint256(0.6e18)))));
        bytes32 root =
            leafA < leafB ? keccak256(abi.encode(leafA, leafB)) : keccak256(abi.encode(leafB, leafA));
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V2, DETECTION_SUITE, _values(1, 1), keccak256("r"));
        s.samplesRoot = root;
        vm.prank(evaluator1);
        evidence.submitResult(s);

        bytes32 id = evidence.resultId(MODEL_V2, DETECTION_SUITE, evaluator1);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = leafB;
        assertTrue(evidence.verifySample(id, "msg-1", 1, 1, 0.9e18, proof));
        assertFalse(evidence.verifySample(id, "msg-1", 1, 0, 0.9e18, proof));
    }
}
