// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {Governed} from "./Governed.sol";

/**
 * @title EvidenceRegistry
 * @notice Benchmark results posted by admitted evaluators: the evidence that safety policies are checked
 * against. Governance registers suites and admits or removes evaluators. An evaluator posts one live
 * result per (model, suite); posting again supersedes it. Another evaluator may dispute a result, which
 * then stops counting until governance rejects the dispute; an upheld dispute strikes the result.
 *
 * Metric values are unsigned fixed-point numbers with 18 decimals, below 2^96 (about 79 billion), in the
 * order the suite declares its metrics. The first two share a slot with the result's timestamp and status,
 * the rest go two to a slot: a four-metric result takes four slots in all.
 *
 * Every submission, direct or signed, consumes the evaluator's next nonce: one sequence orders all of an
 * evaluator's submissions, so a signature that was never relayed dies as soon as the evaluator submits
 * anything newer and can never replace a newer result. Removal advances the nonce (re-admission revives no
 * signature), and an evaluator may skip ahead ({invalidateSignatures}) to kill signatures it handed out.
 */
contract EvidenceRegistry is Governed, EIP712 {
    using EnumerableSet for EnumerableSet.AddressSet;

    enum ResultStatus {
        None,
        Valid,
        Disputed,
        Struck
    }

    /// @notice A result as an evaluator posts it. `metricIds` must be the suite's metrics, in order.
    struct Submission {
        bytes32 modelId;
        bytes32 suiteId;
        bytes32[] metricIds;
        uint256[] values;
        bytes32 reportDigest;
        bytes32 samplesRoot;
        string uri;
    }

    /// @notice One evaluator's live result for one metric, as the policy check reads it.
    struct Evidence {
        address evaluator;
        ResultStatus status;
        uint48 submittedAt;
        uint256 value;
    }

    struct Suite {
        bytes32 datasetDigest;
        bytes32 metricsHash;
        bytes32[] metricIds;
    }

    /// @notice A live result, without its values.
    struct Result {
        bytes32 reportDigest;
        bytes32 samplesRoot;
        uint48 submittedAt;
        ResultStatus status;
    }

    struct Record {
        bytes32 reportDigest;
        bytes32 samplesRoot;
        uint48 submittedAt;
        ResultStatus status;
        uint96 value0;
        uint96 value1;
    }

    /// @notice EIP-712 type of a signed submission; the nonce is the evaluator's, so each signature is used once.
    bytes32 public constant SUBMISSION_TYPEHASH = keccak256(
        "Submission(bytes32 modelId,bytes32 suiteId,bytes32[] metricIds,uint256[] values,bytes32 reportDigest,"
        "bytes32 samplesRoot,string uri,address evaluator,uint256 nonce,uint256 deadline)"
    );
    uint256 public constant MAX_METRICS = 32;
    /// @notice The furthest {invalidateSignatures} may move a nonce in one call, so that no nonce can come near
    /// overflowing (the sequence must never wrap around to signatures it already killed).
    uint256 public constant MAX_NONCE_JUMP = type(uint32).max;

    mapping(bytes32 suiteId => Suite) private _suites;
    EnumerableSet.AddressSet private _evaluators;
    mapping(bytes32 resultId => Record) private _records;
    /// @dev Values from the third on, two to a word.
    mapping(bytes32 resultId => mapping(uint256 word => uint256 twoValues)) private _moreValues;
    /// @dev An evaluator's next nonce plus one, zero until it is first admitted: admission writes the slot so
    /// that the first submission pays for an update, not for a fresh slot.
    mapping(address evaluator => uint256 nextNoncePlusOne) private _nonceSlots;

    /// @notice Emitted when governance registers a suite.
    event SuiteRegistered(bytes32 indexed suiteId, bytes32 datasetDigest, bytes32[] metricIds, string uri);
    /// @notice Emitted when governance admits an evaluator.
    event EvaluatorAdmitted(address indexed evaluator, string name);
    /// @notice Emitted when governance removes an evaluator; its results stop counting.
    event EvaluatorRemoved(address indexed evaluator);
    /// @notice Emitted for every posted result; `superseded` says whether it replaced an earlier one.
    event ResultSubmitted(
        bytes32 indexed resultId,
        bytes32 indexed modelId,
        bytes32 indexed suiteId,
        address evaluator,
        uint256[] values,
        bytes32 reportDigest,
        bytes32 samplesRoot,
        string uri,
        bool superseded
    );
    /// @notice Emitted when an evaluator disputes another's result.
    event ResultDisputed(
        bytes32 indexed resultId, address indexed disputer, bytes32 reportDigest, string reason
    );
    /// @notice Emitted when governance resolves a dispute: upheld strikes the result, rejected restores it.
    event DisputeResolved(bytes32 indexed resultId, bool upheld);
    /// @notice Emitted when an evaluator skips its nonce ahead: signatures below `newNonce` can no longer be used.
    event SignaturesInvalidated(address indexed evaluator, uint256 newNonce);

    error EvidenceRegistrySuiteExists(bytes32 suiteId);
    error EvidenceRegistryUnknownSuite(bytes32 suiteId);
    error EvidenceRegistryInvalidMetrics(uint256 count);
    error EvidenceRegistryEvaluatorAdmitted(address evaluator);
    error EvidenceRegistryNotEvaluator(address account);
    error EvidenceRegistryMissingDigest();
    error EvidenceRegistryMetricsMismatch(bytes32 suiteId);
    error EvidenceRegistryValuesLength(uint256 metrics, uint256 values);
    error EvidenceRegistryValueTooLarge(uint256 index, uint256 value);
    error EvidenceRegistryAlreadySubmitted(bytes32 resultId, bytes32 reportDigest);
    error EvidenceRegistryResultDisputed(bytes32 resultId);
    error EvidenceRegistrySignatureExpired(uint256 deadline);
    error EvidenceRegistryInvalidSignature(address evaluator);
    error EvidenceRegistrySelfDispute(address evaluator);
    error EvidenceRegistryNotDisputable(bytes32 resultId, ResultStatus status);
    error EvidenceRegistryReportMismatch(bytes32 resultId, bytes32 live, bytes32 disputed);
    error EvidenceRegistryNoDispute(bytes32 resultId);
    error EvidenceRegistryNonceNotIncreasing(uint256 current, uint256 requested);
    error EvidenceRegistryNonceJumpTooLarge(uint256 current, uint256 requested, uint256 maxJump);

    constructor(address governance_) Governed(governance_) EIP712("Charter Evidence", "1") {}

    // ---------------------------------------------------------------- governance

    /**
     * @notice Registers a benchmark suite. Only governance may call. Emits {SuiteRegistered}.
     * @param suiteId Hash of the suite's canonical declaration.
     * @param datasetDigest Hash of the suite's dataset files.
     * @param metricIds The suite's metrics (short names as bytes32), in the order results report them.
     */
    function registerSuite(
        bytes32 suiteId,
        bytes32 datasetDigest,
        bytes32[] calldata metricIds,
        string calldata uri
    ) external onlyGovernance {
        if (_suites[suiteId].metricsHash != 0) {
            revert EvidenceRegistrySuiteExists(suiteId);
        }
        if (suiteId == 0 || datasetDigest == 0) revert EvidenceRegistryMissingDigest();
        if (metricIds.length == 0 || metricIds.length > MAX_METRICS) {
            revert EvidenceRegistryInvalidMetrics(metricIds.length);
        }
        emit SuiteRegistered(suiteId, datasetDigest, metricIds, uri);
        _suites[suiteId] = Suite(datasetDigest, keccak256(abi.encodePacked(metricIds)), metricIds);
    }

    /// @notice Admits an evaluator, keeping its nonce (zero at first admission). Only governance may call.
    /// Emits {EvaluatorAdmitted}.
    function admitEvaluator(address evaluator, string calldata name) external onlyGovernance {
        if (!_evaluators.add(evaluator)) revert EvidenceRegistryEvaluatorAdmitted(evaluator);
        if (_nonceSlots[evaluator] == 0) _nonceSlots[evaluator] = 1;
        emit EvaluatorAdmitted(evaluator, name);
    }

    /// @notice Removes an evaluator; its results stop counting, and its nonce advances so that no signature it
    /// gave before works again if it is re-admitted. Only governance may call. Emits {EvaluatorRemoved}.
    function removeEvaluator(address evaluator) external onlyGovernance {
        if (!_evaluators.remove(evaluator)) revert EvidenceRegistryNotEvaluator(evaluator);
        _useNonce(evaluator);
        emit EvaluatorRemoved(evaluator);
    }

    /// @notice Resolves a dispute: upheld strikes the result, rejected restores it. Only governance may call.
    /// Emits {DisputeResolved}.
    function resolveDispute(bytes32 id, bool upheld) external onlyGovernance {
        Record storage live = _records[id];
        if (live.status != ResultStatus.Disputed) revert EvidenceRegistryNoDispute(id);
        emit DisputeResolved(id, upheld);
        live.status = upheld ? ResultStatus.Struck : ResultStatus.Valid;
    }

    // ---------------------------------------------------------------- evaluators

    /// @notice Posts a result as the calling evaluator, superseding its previous one for the same model and
    /// suite, and consumes the evaluator's nonce (see the contract's notes). Only admitted evaluators may call.
    /// Emits {ResultSubmitted}.
    function submitResult(Submission calldata submission) external {
        _useNonce(msg.sender);
        _submit(msg.sender, submission);
    }

    /**
     * @notice Posts a result signed by `evaluator` (EIP-712, see {SUBMISSION_TYPEHASH}); anyone may relay it.
     * The signature commits to the evaluator's current nonce, so it cannot be replayed, and it stops working
     * once the evaluator submits anything else. Emits {ResultSubmitted}.
     */
    function submitResultWithSignature(
        Submission calldata submission,
        address evaluator,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert EvidenceRegistrySignatureExpired(deadline);
        bytes32 digest =
            _hashTypedDataV4(_submissionHash(submission, evaluator, _useNonce(evaluator), deadline));
        if (!SignatureChecker.isValidSignatureNow(evaluator, digest, signature)) {
            revert EvidenceRegistryInvalidSignature(evaluator);
        }
        _submit(evaluator, submission);
    }

    /**
     * @notice Moves the caller's nonce forward to `newNonce`, so that every signature it gave with a lower nonce
     * can no longer be relayed. `newNonce` must be above the current nonce, by at most {MAX_NONCE_JUMP}.
     * Emits {SignaturesInvalidated}.
     */
    function invalidateSignatures(uint256 newNonce) external {
        uint256 current = nonces(msg.sender);
        if (newNonce <= current) revert EvidenceRegistryNonceNotIncreasing(current, newNonce);
        if (newNonce - current > MAX_NONCE_JUMP) {
            revert EvidenceRegistryNonceJumpTooLarge(current, newNonce, MAX_NONCE_JUMP);
        }
        _nonceSlots[msg.sender] = newNonce + 1;
        emit SignaturesInvalidated(msg.sender, newNonce);
    }

    /**
     * @notice Disputes another evaluator's live result, which stops counting until governance resolves it.
     * Only admitted evaluators may call, not on their own results. `reportDigest` names the result disputed,
     * so a dispute cannot land on a result posted after it was written. Emits {ResultDisputed}.
     */
    function dispute(
        bytes32 modelId,
        bytes32 suiteId,
        address evaluator,
        bytes32 reportDigest,
        string calldata reason
    ) external {
        if (!_evaluators.contains(msg.sender)) {
            revert EvidenceRegistryNotEvaluator(msg.sender);
        }
        if (msg.sender == evaluator) revert EvidenceRegistrySelfDispute(evaluator);
        bytes32 id = resultId(modelId, suiteId, evaluator);
        Record storage live = _records[id];
        if (live.status != ResultStatus.Valid) revert EvidenceRegistryNotDisputable(id, live.status);
        if (live.reportDigest != reportDigest) {
            revert EvidenceRegistryReportMismatch(id, live.reportDigest, reportDigest);
        }
        emit ResultDisputed(id, msg.sender, reportDigest, reason);
        live.status = ResultStatus.Disputed;
    }

    // ---------------------------------------------------------------- views

    /// @notice The nonce the evaluator's next submission, direct or signed, consumes.
    function nonces(address evaluator) public view returns (uint256) {
        uint256 slot = _nonceSlots[evaluator];
        return slot == 0 ? 0 : slot - 1;
    }

    /// @notice Identifier of the live result slot of (model, suite, evaluator).
    function resultId(bytes32 modelId, bytes32 suiteId, address evaluator) public pure returns (bytes32) {
        return keccak256(abi.encode(modelId, suiteId, evaluator));
    }

    /// @notice The live result of `evaluator` for (model, suite), with its metric values in suite order.
    function result(bytes32 modelId, bytes32 suiteId, address evaluator)
        external
        view
        returns (Result memory live, uint256[] memory values)
    {
        bytes32 id = resultId(modelId, suiteId, evaluator);
        Record storage record = _records[id];
        live = Result(record.reportDigest, record.samplesRoot, record.submittedAt, record.status);
        values = new uint256[](live.status == ResultStatus.None ? 0 : _suites[suiteId].metricIds.length);
        for (uint256 i; i < values.length; ++i) {
            values[i] = _value(id, record, i);
        }
    }

    /// @notice Each admitted evaluator's live result for (model, suite), reduced to one metric.
    function evidenceFor(bytes32 modelId, bytes32 suiteId, uint256 metricIndex)
        external
        view
        returns (Evidence[] memory evidence)
    {
        uint256 evaluatorCount = _evaluators.length();
        evidence = new Evidence[](evaluatorCount);
        uint256 found;
        for (uint256 i; i < evaluatorCount; ++i) {
            address evaluator = _evaluators.at(i);
            bytes32 id = resultId(modelId, suiteId, evaluator);
            Record storage record = _records[id];
            if (record.status == ResultStatus.None) continue;
            evidence[found++] =
                Evidence(evaluator, record.status, record.submittedAt, _value(id, record, metricIndex));
        }
        assembly ("memory-safe") {
            mstore(evidence, found)
        }
    }

    /// @notice A registered suite's dataset digest and metrics; no metrics means not registered.
    function suite(bytes32 suiteId)
        external
        view
        returns (bytes32 datasetDigest, bytes32[] memory metricIds)
    {
        Suite storage s = _suites[suiteId];
        return (s.datasetDigest, s.metricIds);
    }

    /// @notice Whether `account` is an admitted evaluator.
    function isEvaluator(address account) external view returns (bool) {
        return _evaluators.contains(account);
    }

    /// @notice All admitted evaluators.
    function evaluators() external view returns (address[] memory) {
        return _evaluators.values();
    }

    /// @notice Whether a per-sample outcome belongs to a live result, by Merkle proof against its samples root
    /// (leaves as OpenZeppelin's StandardMerkleTree builds them from (string, uint256, uint256, uint256)).
    function verifySample(
        bytes32 id,
        string calldata sampleId,
        uint256 label,
        uint256 prediction,
        uint256 score,
        bytes32[] calldata proof
    ) external view returns (bool) {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(sampleId, label, prediction, score))));
        return MerkleProof.verifyCalldata(proof, _records[id].samplesRoot, leaf);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Returns the evaluator's next nonce and advances it.
    function _useNonce(address evaluator) private returns (uint256 nonce) {
        nonce = nonces(evaluator);
        _nonceSlots[evaluator] = nonce + 2;
    }

    function _submit(address evaluator, Submission calldata submission) private {
        if (!_evaluators.contains(evaluator)) revert EvidenceRegistryNotEvaluator(evaluator);
        if (submission.modelId == 0 || submission.reportDigest == 0) revert EvidenceRegistryMissingDigest();
        bytes32 metricsHash = _suites[submission.suiteId].metricsHash;
        if (metricsHash == 0) revert EvidenceRegistryUnknownSuite(submission.suiteId);
        if (keccak256(abi.encodePacked(submission.metricIds)) != metricsHash) {
            revert EvidenceRegistryMetricsMismatch(submission.suiteId);
        }
        uint256[] calldata values = submission.values;
        if (values.length != submission.metricIds.length) {
            revert EvidenceRegistryValuesLength(submission.metricIds.length, values.length);
        }

        bytes32 id = resultId(submission.modelId, submission.suiteId, evaluator);
        Record storage record = _records[id];
        ResultStatus previous = record.status;
        if (previous == ResultStatus.Disputed) revert EvidenceRegistryResultDisputed(id);
        if (previous == ResultStatus.Valid && record.reportDigest == submission.reportDigest) {
            revert EvidenceRegistryAlreadySubmitted(id, submission.reportDigest);
        }

        for (uint256 i; i < values.length; ++i) {
            if (values[i] > type(uint96).max) revert EvidenceRegistryValueTooLarge(i, values[i]);
        }
        for (uint256 i = 2; i < values.length; i += 2) {
            uint256 high = i + 1 < values.length ? values[i + 1] : 0;
            _moreValues[id][i / 2 - 1] = values[i] | (high << 128);
        }
        emit ResultSubmitted(
            id,
            submission.modelId,
            submission.suiteId,
            evaluator,
            values,
            submission.reportDigest,
            submission.samplesRoot,
            submission.uri,
            previous != ResultStatus.None
        );
        // forge-lint: disable-next-item(unsafe-typecast) each value was checked to fit 96 bits above
        _records[id] = Record(
            submission.reportDigest,
            submission.samplesRoot,
            uint48(block.timestamp),
            ResultStatus.Valid,
            uint96(values[0]),
            values.length > 1 ? uint96(values[1]) : 0
        );
    }

    function _value(bytes32 id, Record storage record, uint256 index) private view returns (uint256) {
        if (index == 0) return record.value0;
        if (index == 1) return record.value1;
        uint256 word = _moreValues[id][index / 2 - 1];
        // forge-lint: disable-next-line(unsafe-typecast) the low half of the word is the value
        return index % 2 == 0 ? uint128(word) : word >> 128;
    }

    function _submissionHash(Submission calldata s, address evaluator, uint256 nonce, uint256 deadline)
        private
        pure
        returns (bytes32)
    {
        return keccak256(
            abi.encode(
                SUBMISSION_TYPEHASH,
                s.modelId,
                s.suiteId,
                keccak256(abi.encodePacked(s.metricIds)),
                keccak256(abi.encodePacked(s.values)),
                s.reportDigest,
                s.samplesRoot,
                keccak256(bytes(s.uri)),
                evaluator,
                nonce,
                deadline
            )
        );
    }
}
