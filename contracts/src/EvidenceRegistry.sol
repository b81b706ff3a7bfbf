// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {Governed} from "./Governed.sol";

/**
 * @title EvidenceRegistry
 * @notice Benchmark results posted by admitted, bonded evaluators: the evidence that safety policies are
 * checked against, and the optimistic game that keeps it honest. Governance registers suites, admits or
 * removes evaluators and sets the game's parameters. An evaluator posts one live result per (model, suite);
 * posting again supersedes it. A result counts only once its challenge window has passed with no open
 * dispute, and only while its evaluator's active bond is at least `minBond`. Inside the window anyone may
 * dispute it by posting the dispute bond and naming one sample (the committed leaf with its Merkle proof and
 * the outcome the disputer obtained). Governance or the resolver upholds (the result version is struck and
 * the evaluator's whole stake is slashed: a share to the disputer, the rest to governance) or rejects (the
 * dispute bond goes to the evaluator and the disputer may not dispute that version again); a dispute left
 * unresolved for `resolutionTimeout` may be closed by anyone as rejected. Payouts are credits that anyone
 * may withdraw to their owner ({withdrawCredit}), so no receiver can block a resolution.
 *
 * Metric values are unsigned fixed-point numbers with 18 decimals, below 2^96 (about 79 billion), in the
 * order the suite declares its metrics. The first two share a slot with the result's timestamp and status,
 * the rest go two to a slot: a four-metric result takes four slots in all.
 *
 * Every submission, direct or signed, consumes the evaluator's next nonce: one sequence orders all of an
 * evaluator's submissions, so a signature that was never relayed dies as soon as the evaluator submits
 * anything newer and can never replace a newer result. Removal advances the nonce (re-admission revives no
 * signature), and an evaluator may skip ahead ({invalidateSignatures}) to kill signatures it handed out.
 *
 * Times: a result's window and a dispute's lapse are measured with the current `challengePeriod` and
 * `resolutionTimeout`, so a change of parameters re-times every open window and dispute.
 */
contract EvidenceRegistry is Governed, EIP712 {
    enum ResultStatus {
        None,
        Valid,
        Disputed,
        Struck
    }

    /// @notice Whether a result counts toward a policy now, and if not, why (in this order of precedence).
    enum Standing {
        Counts,
        InWindow,
        Disputed,
        Struck,
        Underbonded
    }

    enum DisputeStatus {
        None,
        Open,
        Upheld,
        Rejected
    }

    /// @notice The rules of the evidence game; governance sets them.
    struct GameParameters {
        /// Seconds a result waits before it counts; disputes are accepted only inside this window.
        uint48 challengePeriod;
        /// Wei an evaluator must have bonded for its results to count.
        uint96 minBond;
        /// Wei a dispute must carry (its msg.value, exactly).
        uint96 disputeBond;
        /// Seconds between {unbond} and {withdrawBond}; longer than the challenge period.
        uint48 unbondingDelay;
        /// Seconds after opening when anyone may close a dispute by default (rejected).
        uint48 resolutionTimeout;
        /// Share of a slashed stake paid to the disputer, in basis points (at most 10,000).
        uint16 disputerShareBps;
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

    /// @notice One evaluator's live result for one metric, as the policy check reads it. `bond` is the
    /// evaluator's active bond; `countsFrom` is `submittedAt + challengePeriod`.
    struct Evidence {
        address evaluator;
        Standing standing;
        uint48 submittedAt;
        uint48 countsFrom;
        uint96 bond;
        uint256 value;
    }

    /// @notice One per-sample outcome as a result's samples root commits to it (a Merkle leaf).
    struct Sample {
        string id;
        uint256 label;
        uint256 prediction;
        uint256 score;
    }

    /// @notice The outcome a disputer obtained for the named sample, and its own report.
    struct Claim {
        uint256 prediction;
        uint256 score;
        bytes32 reportDigest;
        string uri;
    }

    /// @notice A dispute against one result version (resultId, reportDigest).
    struct Dispute {
        bytes32 resultId;
        bytes32 reportDigest;
        address evaluator;
        address disputer;
        uint96 bond;
        uint48 openedAt;
        DisputeStatus status;
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

    /// @dev `everDisputed`: some version of this result was disputed once, so a submission must look up the
    /// version it posts (struck? still disputed?); results never disputed skip that read.
    struct Record {
        bytes32 reportDigest;
        bytes32 samplesRoot;
        uint48 submittedAt;
        ResultStatus status;
        bool everDisputed;
        uint96 value0;
        uint96 value1;
    }

    /// @dev An admitted evaluator with its active bond: the one word {evidenceFor} reads per evaluator.
    struct Member {
        address evaluator;
        uint96 bond;
    }

    /// @dev Per evaluator, written at first admission so that later writes update a slot instead of creating
    /// one: the nonce, the position in `_members` (plus one, zero when not admitted), the open disputes.
    struct Account {
        uint64 nextNoncePlusOne;
        uint32 position;
        uint32 openDisputes;
    }

    struct Unbonding {
        uint96 amount;
        uint48 readyAt;
    }

    /// @dev The parameters in two words, with two counters: {evidenceFor} reads only the first (the window, the
    /// minimum bond and how many evaluators there are); a dispute reads both and counts itself in the second.
    struct StoredParameters {
        uint48 challengePeriod;
        uint96 minBond;
        uint32 memberCount;
        uint48 resolutionTimeout;
        uint16 disputerShareBps;
        uint96 disputeBond;
        uint48 unbondingDelay;
        uint64 disputeCount;
    }

    /// @dev A dispute in four words (the public struct takes five).
    struct StoredDispute {
        bytes32 resultId;
        bytes32 reportDigest;
        address evaluator;
        uint96 bond;
        address disputer;
        uint48 openedAt;
        DisputeStatus status;
    }

    /// @dev One result version's disputes: how many are open, and whether one was upheld.
    struct Version {
        uint32 openDisputes;
        bool struck;
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
    /// @notice The longest any of the game's durations may be, so that no time computed from them overflows.
    uint256 public constant MAX_GAME_PERIOD = 365 days;
    uint256 internal constant BPS = 10_000;

    mapping(bytes32 suiteId => Suite) private _suites;
    /// @dev Admitted evaluators at 0 .. memberCount - 1 (a mapping: the count lives in `_parameters`).
    mapping(uint256 index => Member) private _members;
    mapping(address evaluator => Account) private _accounts;
    mapping(address evaluator => Unbonding) private _unbondings;
    mapping(bytes32 resultId => Record) private _records;
    /// @dev Values from the third on, two to a word.
    mapping(bytes32 resultId => mapping(uint256 word => uint256 twoValues)) private _moreValues;
    StoredParameters private _parameters;
    address private _resolver;
    mapping(uint256 disputeId => StoredDispute) private _disputes;
    mapping(bytes32 versionKey => Version) private _versions;
    /// @dev Disputers whose dispute on a result version was rejected.
    mapping(bytes32 disputerKey => bool) private _barred;
    mapping(address account => uint256) private _credits;

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
    /// @notice Emitted when an evaluator skips its nonce ahead: signatures below `newNonce` can no longer be used.
    event SignaturesInvalidated(address indexed evaluator, uint256 newNonce);
    /// @notice Emitted when governance sets the game's parameters (and at deployment).
    event GameParametersSet(GameParameters parameters);
    /// @notice Emitted when governance appoints a resolver (zero: none).
    event ResolverSet(address indexed previous, address indexed resolver);
    /// @notice Emitted when an evaluator adds `amount` to its active bond, which is now `bonded`.
    event Bonded(address indexed evaluator, uint256 amount, uint256 bonded);
    /// @notice Emitted when `amount` moves from the active bond to unbonding (by {unbond} or removal); all of
    /// `unbonding` may be withdrawn from `readyAt` on.
    event UnbondingStarted(
        address indexed evaluator, uint256 amount, uint256 bonded, uint256 unbonding, uint48 readyAt
    );
    /// @notice Emitted when an evaluator withdraws its unbonded stake.
    event BondWithdrawn(address indexed evaluator, uint256 amount);
    /// @notice Emitted when a dispute opens; `lapsesAt` is when anyone may close it by default, with the
    /// resolution timeout of now.
    event ResultDisputed(
        uint256 indexed disputeId,
        bytes32 indexed resultId,
        address indexed disputer,
        address evaluator,
        bytes32 reportDigest,
        Sample committed,
        Claim claim,
        uint256 bond,
        uint48 lapsesAt
    );
    /// @notice Emitted when a dispute closes: by governance or the resolver, or by default once lapsed (then
    /// `lapsed` and never upheld). The amounts are credited, not sent (see {withdrawCredit}).
    event DisputeResolved(
        uint256 indexed disputeId,
        bytes32 indexed resultId,
        address indexed evaluator,
        bool upheld,
        bool lapsed,
        uint256 slashed,
        uint256 toDisputer,
        uint256 toEvaluator,
        uint256 toTreasury
    );
    /// @notice Emitted when a credit is paid out to its owner.
    event CreditWithdrawn(address indexed account, uint256 amount);

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
    error EvidenceRegistryReportStruck(bytes32 resultId, bytes32 reportDigest);
    error EvidenceRegistrySignatureExpired(uint256 deadline);
    error EvidenceRegistryInvalidSignature(address evaluator);
    error EvidenceRegistryNonceNotIncreasing(uint256 current, uint256 requested);
    error EvidenceRegistryNonceJumpTooLarge(uint256 current, uint256 requested, uint256 maxJump);
    error EvidenceRegistryInvalidGameParameters(GameParameters parameters);
    error EvidenceRegistryZeroAmount();
    error EvidenceRegistryInsufficientBond(uint256 bonded, uint256 requested);
    error EvidenceRegistryUnbondingLocked(uint256 readyAt);
    error EvidenceRegistryDisputesOpen(address evaluator, uint256 open);
    error EvidenceRegistryNothingToWithdraw(address account);
    error EvidenceRegistryWrongDisputeBond(uint256 sent, uint256 required);
    error EvidenceRegistryNotDisputable(bytes32 resultId, ResultStatus status);
    error EvidenceRegistryReportMismatch(bytes32 resultId, bytes32 live, bytes32 disputed);
    error EvidenceRegistryChallengeWindowClosed(bytes32 resultId, uint256 closedAt);
    error EvidenceRegistrySelfDispute(address evaluator);
    error EvidenceRegistryDisputerBarred(bytes32 resultId, address disputer);
    error EvidenceRegistryInvalidSampleProof(bytes32 resultId, string sampleId);
    error EvidenceRegistryClaimMatchesCommitted(string sampleId);
    error EvidenceRegistryNotResolver(address account);
    error EvidenceRegistryDisputeNotOpen(uint256 disputeId);
    error EvidenceRegistryResolutionNotLapsed(uint256 disputeId, uint256 lapsesAt);

    /// @param governance_ The DAO's timelock: the only address that changes governed state, and the treasury
    /// that receives the rest of a slashed stake.
    /// @param parameters The game's initial parameters (see {setGameParameters} for what is refused).
    /// @param resolver_ Who may resolve disputes besides governance (e.g. the security council); zero: none.
    constructor(address governance_, GameParameters memory parameters, address resolver_)
        Governed(governance_)
        EIP712("Charter Evidence", "1")
    {
        _setGameParameters(parameters);
        if (resolver_ != address(0)) _setResolver(resolver_);
    }

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

    /// @notice Admits an evaluator with no bond, keeping its nonce (zero at first admission); its results count
    /// once it has bonded `minBond`. Only governance may call. Emits {EvaluatorAdmitted}.
    function admitEvaluator(address evaluator, string calldata name) external onlyGovernance {
        Account storage account = _accounts[evaluator];
        if (account.position != 0) revert EvidenceRegistryEvaluatorAdmitted(evaluator);
        uint32 count = _parameters.memberCount + 1;
        _members[count - 1] = Member(evaluator, 0);
        _parameters.memberCount = count;
        account.position = count;
        if (account.nextNoncePlusOne == 0) account.nextNoncePlusOne = 1;
        emit EvaluatorAdmitted(evaluator, name);
    }

    /// @notice Removes an evaluator: its results stop counting, its whole active bond starts unbonding (and
    /// stays slashable until withdrawn), and its nonce advances so that no signature it gave before works again
    /// if it is re-admitted. Only governance may call. Emits {EvaluatorRemoved}, and {UnbondingStarted} when
    /// it had a bond.
    function removeEvaluator(address evaluator) external onlyGovernance {
        Account storage account = _accounts[evaluator];
        uint32 position = account.position;
        if (position == 0) revert EvidenceRegistryNotEvaluator(evaluator);
        uint96 bonded = _members[position - 1].bond;
        uint32 count = _parameters.memberCount;
        Member memory last = _members[count - 1];
        _members[position - 1] = last;
        _accounts[last.evaluator].position = position;
        delete _members[count - 1];
        _parameters.memberCount = count - 1;
        account.position = 0;
        _useNonce(evaluator);
        emit EvaluatorRemoved(evaluator);
        if (bonded != 0) _startUnbonding(evaluator, bonded, 0);
    }

    /// @notice Sets the game's parameters, which apply at once (open windows and disputes are re-timed).
    /// Refused unless every duration is positive and at most {MAX_GAME_PERIOD}, the unbonding delay is longer
    /// than the challenge period, both bonds are positive and the disputer's share is at most 10,000 bps.
    /// Only governance may call. Emits {GameParametersSet}.
    function setGameParameters(GameParameters calldata parameters) external onlyGovernance {
        _setGameParameters(parameters);
    }

    /// @notice Appoints who may resolve disputes besides governance (zero: nobody but governance).
    /// Only governance may call. Emits {ResolverSet}.
    function setResolver(address resolver_) external onlyGovernance {
        _setResolver(resolver_);
    }

    // ---------------------------------------------------------------- evaluators

    /// @notice Posts a result as the calling evaluator, superseding its previous one for the same model and
    /// suite (also while that one is disputed: the new version starts its own window), and consumes the
    /// evaluator's nonce (see the contract's notes). Only admitted evaluators may call; a report digest once
    /// struck for this (model, suite) is refused. Emits {ResultSubmitted}.
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
        _accounts[msg.sender].nextNoncePlusOne = SafeCast.toUint64(newNonce + 1);
        emit SignaturesInvalidated(msg.sender, newNonce);
    }

    /// @notice Adds the value sent to the calling evaluator's active bond. Only admitted evaluators may call.
    /// Emits {Bonded}.
    function bond() external payable {
        if (msg.value == 0) revert EvidenceRegistryZeroAmount();
        uint256 position = _accounts[msg.sender].position;
        if (position == 0) revert EvidenceRegistryNotEvaluator(msg.sender);
        Member storage member = _members[position - 1];
        uint96 bonded = SafeCast.toUint96(member.bond + msg.value);
        member.bond = bonded;
        emit Bonded(msg.sender, msg.value, bonded);
    }

    /// @notice Moves `amount` of the caller's active bond to unbonding, withdrawable after `unbondingDelay`
    /// (the whole unbonding amount waits again from now). Emits {UnbondingStarted}.
    function unbond(uint256 amount) external {
        if (amount == 0) revert EvidenceRegistryZeroAmount();
        uint256 position = _accounts[msg.sender].position;
        uint96 bonded = position == 0 ? 0 : _members[position - 1].bond;
        if (amount > bonded) revert EvidenceRegistryInsufficientBond(bonded, amount);
        // forge-lint: disable-next-line(unsafe-typecast) amount <= bonded, a uint96
        _startUnbonding(msg.sender, uint96(amount), bonded - uint96(amount));
    }

    /// @notice Pays the caller its unbonding stake, once the unbonding delay has passed and no dispute against
    /// it is open. Emits {BondWithdrawn}.
    function withdrawBond() external {
        Unbonding memory unbonding = _unbondings[msg.sender];
        if (unbonding.amount == 0) revert EvidenceRegistryNothingToWithdraw(msg.sender);
        if (block.timestamp < unbonding.readyAt) revert EvidenceRegistryUnbondingLocked(unbonding.readyAt);
        uint256 open = _accounts[msg.sender].openDisputes;
        if (open != 0) revert EvidenceRegistryDisputesOpen(msg.sender, open);
        delete _unbondings[msg.sender];
        emit BondWithdrawn(msg.sender, unbonding.amount);
        Address.sendValue(payable(msg.sender), unbonding.amount);
    }

    // ---------------------------------------------------------------- disputes

    /**
     * @notice Disputes the live result of `evaluator` for (model, suite) inside its challenge window. Anyone
     * but the evaluator may call, sending exactly `disputeBond`, naming one sample: the leaf as committed with
     * its Merkle proof against the result's samples root, and the outcome the disputer obtained with its own
     * report. `reportDigest` names the result version, so a dispute cannot land on a result posted after it
     * was written. The result stops counting until the dispute closes. Refused to a disputer whose dispute on
     * this version was rejected. Emits {ResultDisputed}.
     * @return disputeId The new dispute's id (1, 2, 3, ...).
     */
    function dispute(
        bytes32 modelId,
        bytes32 suiteId,
        address evaluator,
        bytes32 reportDigest,
        Sample calldata committed,
        bytes32[] calldata proof,
        Claim calldata claim
    ) external payable returns (uint256 disputeId) {
        bytes32 id = resultId(modelId, suiteId, evaluator);
        _checkDisputable(id, evaluator, reportDigest);
        _checkSample(id, committed, proof, claim);
        uint48 lapsesAt;
        (disputeId, lapsesAt) = _openDispute(id, evaluator, reportDigest);
        emit ResultDisputed(
            disputeId, id, msg.sender, evaluator, reportDigest, committed, claim, msg.value, lapsesAt
        );
    }

    /**
     * @notice Closes an open dispute. Upheld: the disputed version is struck and the evaluator's whole stake
     * (active bond and unbonding) is slashed, `disputerShareBps` of it credited to the disputer with its bond
     * back, the rest to governance. Rejected: the dispute bond is credited to the evaluator and the disputer
     * may not dispute this version again. Only governance or the resolver may call. Emits {DisputeResolved}.
     */
    function resolveDispute(uint256 disputeId, bool upheld) external {
        if (msg.sender != governance && msg.sender != _resolver) {
            revert EvidenceRegistryNotResolver(msg.sender);
        }
        StoredDispute storage stored = _disputes[disputeId];
        if (stored.status != DisputeStatus.Open) revert EvidenceRegistryDisputeNotOpen(disputeId);
        _resolve(disputeId, stored, upheld, false);
    }

    /// @notice Closes a dispute nobody resolved within `resolutionTimeout` of its opening, as rejected (the
    /// result stands, the disputer loses its bond to the evaluator and is barred from this version). Anyone may
    /// call. Emits {DisputeResolved}.
    function resolveLapsedDispute(uint256 disputeId) external {
        StoredDispute storage stored = _disputes[disputeId];
        if (stored.status != DisputeStatus.Open) revert EvidenceRegistryDisputeNotOpen(disputeId);
        uint256 lapsesAt = uint256(stored.openedAt) + _parameters.resolutionTimeout;
        if (block.timestamp < lapsesAt) revert EvidenceRegistryResolutionNotLapsed(disputeId, lapsesAt);
        _resolve(disputeId, stored, false, true);
    }

    /// @notice Pays `account` its whole credit (from resolutions). Anyone may call, so that governance's
    /// share reaches the treasury without a proposal; the payout goes to `account` only. Emits {CreditWithdrawn}.
    function withdrawCredit(address account) external {
        uint256 amount = _credits[account];
        if (amount == 0) revert EvidenceRegistryNothingToWithdraw(account);
        delete _credits[account];
        emit CreditWithdrawn(account, amount);
        Address.sendValue(payable(account), amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice The nonce the evaluator's next submission, direct or signed, consumes.
    function nonces(address evaluator) public view returns (uint256) {
        uint256 slot = _accounts[evaluator].nextNoncePlusOne;
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

    /// @notice When a live result counts from (`submittedAt + challengePeriod`); zero when there is none.
    function countsFrom(bytes32 id) external view returns (uint48) {
        Record storage record = _records[id];
        if (record.status == ResultStatus.None) return 0;
        return record.submittedAt + _parameters.challengePeriod;
    }

    /// @notice Each admitted evaluator's live result for (model, suite), reduced to one metric, with its
    /// standing: Struck, Disputed, Underbonded, InWindow or Counts, the first that applies in this order.
    function evidenceFor(bytes32 modelId, bytes32 suiteId, uint256 metricIndex)
        external
        view
        returns (Evidence[] memory evidence)
    {
        StoredParameters storage parameters = _parameters;
        uint256 memberCount = parameters.memberCount;
        uint256 challengePeriod = parameters.challengePeriod;
        uint256 minBond = parameters.minBond;
        // An array of pointers only: each entry is written below, so it needs no zeroed struct of its own.
        assembly ("memory-safe") {
            evidence := mload(0x40)
            mstore(evidence, memberCount)
            mstore(0x40, add(evidence, shl(5, add(memberCount, 1))))
        }
        uint256 found;
        for (uint256 i; i < memberCount; ++i) {
            Member memory member = _members[i];
            bytes32 id = resultId(modelId, suiteId, member.evaluator);
            Record storage record = _records[id];
            if (record.status == ResultStatus.None) continue;
            evidence[found++] = _evidence(member, id, record, metricIndex, challengePeriod, minBond);
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
        return _accounts[account].position != 0;
    }

    /// @notice All admitted evaluators (removal moves the last one into the removed one's place).
    function evaluators() external view returns (address[] memory list) {
        list = new address[](_parameters.memberCount);
        for (uint256 i; i < list.length; ++i) {
            list[i] = _members[i].evaluator;
        }
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
        return MerkleProof.verifyCalldata(
            proof, _records[id].samplesRoot, _leaf(sampleId, label, prediction, score)
        );
    }

    /// @notice The game's current parameters.
    function gameParameters() external view returns (GameParameters memory) {
        StoredParameters storage p = _parameters;
        return GameParameters(
            p.challengePeriod,
            p.minBond,
            p.disputeBond,
            p.unbondingDelay,
            p.resolutionTimeout,
            p.disputerShareBps
        );
    }

    /// @notice Who may resolve disputes besides governance; zero when nobody is appointed.
    function resolver() external view returns (address) {
        return _resolver;
    }

    /// @notice An evaluator's stake: its active bond (zero when not admitted), the amount unbonding and when it
    /// may be withdrawn, and how many disputes against it are open.
    function stakeOf(address evaluator)
        external
        view
        returns (uint256 bonded, uint256 unbonding, uint48 unbondingReadyAt, uint32 openDisputes)
    {
        Account storage account = _accounts[evaluator];
        if (account.position != 0) bonded = _members[account.position - 1].bond;
        Unbonding storage u = _unbondings[evaluator];
        return (bonded, u.amount, u.readyAt, account.openDisputes);
    }

    /// @notice Dispute `disputeId`; all fields zero when there is none.
    function disputeOf(uint256 disputeId) external view returns (Dispute memory) {
        StoredDispute storage d = _disputes[disputeId];
        return Dispute(d.resultId, d.reportDigest, d.evaluator, d.disputer, d.bond, d.openedAt, d.status);
    }

    /// @notice How many disputes were ever opened: the ids run from 1 to this.
    function disputeCount() external view returns (uint256) {
        return _parameters.disputeCount;
    }

    /// @notice What {withdrawCredit} would pay `account` now.
    function credits(address account) external view returns (uint256) {
        return _credits[account];
    }

    // ---------------------------------------------------------------- internals

    /// @dev Returns the evaluator's next nonce and advances it.
    function _useNonce(address evaluator) private returns (uint256 nonce) {
        Account storage account = _accounts[evaluator];
        uint64 slot = account.nextNoncePlusOne;
        nonce = slot == 0 ? 0 : slot - 1;
        account.nextNoncePlusOne = slot == 0 ? 2 : slot + 1;
    }

    function _submit(address evaluator, Submission calldata submission) private {
        if (_accounts[evaluator].position == 0) revert EvidenceRegistryNotEvaluator(evaluator);
        if (submission.modelId == 0 || submission.reportDigest == 0) revert EvidenceRegistryMissingDigest();
        {
            bytes32 metricsHash = _suites[submission.suiteId].metricsHash;
            if (metricsHash == 0) revert EvidenceRegistryUnknownSuite(submission.suiteId);
            if (keccak256(abi.encodePacked(submission.metricIds)) != metricsHash) {
                revert EvidenceRegistryMetricsMismatch(submission.suiteId);
            }
        }
        uint256[] calldata values = submission.values;
        if (values.length != submission.metricIds.length) {
            revert EvidenceRegistryValuesLength(submission.metricIds.length, values.length);
        }

        bytes32 id = resultId(submission.modelId, submission.suiteId, evaluator);
        Record storage record = _records[id];
        bool superseded = record.status != ResultStatus.None;
        ResultStatus status = _newVersionStatus(id, record, submission.reportDigest, superseded);

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
            superseded
        );
        // forge-lint: disable-next-item(unsafe-typecast) each value was checked to fit 96 bits above
        _records[id] = Record(
            submission.reportDigest,
            submission.samplesRoot,
            uint48(block.timestamp),
            status,
            record.everDisputed,
            uint96(values[0]),
            values.length > 1 ? uint96(values[1]) : 0
        );
    }

    /// @dev The status a newly posted version starts with, refusing a struck version or the live one again.
    function _newVersionStatus(bytes32 id, Record storage record, bytes32 reportDigest, bool superseded)
        private
        view
        returns (ResultStatus status)
    {
        status = ResultStatus.Valid;
        if (record.everDisputed) {
            Version storage version = _versions[_versionKey(id, reportDigest)];
            if (version.struck) revert EvidenceRegistryReportStruck(id, reportDigest);
            // A version posted again while a dispute against it is still open is disputed at once.
            if (version.openDisputes != 0) status = ResultStatus.Disputed;
        }
        if (superseded && record.reportDigest == reportDigest) {
            revert EvidenceRegistryAlreadySubmitted(id, reportDigest);
        }
    }

    /// @dev The refusals that concern the result and the disputer, in the documented order.
    function _checkDisputable(bytes32 id, address evaluator, bytes32 reportDigest) private view {
        uint256 required = _parameters.disputeBond;
        if (msg.value != required) revert EvidenceRegistryWrongDisputeBond(msg.value, required);
        Record storage record = _records[id];
        ResultStatus status = record.status;
        if (status == ResultStatus.None || status == ResultStatus.Struck) {
            revert EvidenceRegistryNotDisputable(id, status);
        }
        bytes32 live = record.reportDigest;
        if (live != reportDigest) revert EvidenceRegistryReportMismatch(id, live, reportDigest);
        uint256 closedAt = uint256(record.submittedAt) + _parameters.challengePeriod;
        if (block.timestamp >= closedAt) revert EvidenceRegistryChallengeWindowClosed(id, closedAt);
        if (msg.sender == evaluator) revert EvidenceRegistrySelfDispute(evaluator);
        if (_barred[_disputerKey(id, reportDigest, msg.sender)]) {
            revert EvidenceRegistryDisputerBarred(id, msg.sender);
        }
    }

    /// @dev The named sample must be a leaf of the live result, and the claim must differ from it.
    function _checkSample(
        bytes32 id,
        Sample calldata committed,
        bytes32[] calldata proof,
        Claim calldata claim
    ) private view {
        bytes32 leaf = _leaf(committed.id, committed.label, committed.prediction, committed.score);
        if (!MerkleProof.verifyCalldata(proof, _records[id].samplesRoot, leaf)) {
            revert EvidenceRegistryInvalidSampleProof(id, committed.id);
        }
        if (claim.prediction == committed.prediction && claim.score == committed.score) {
            revert EvidenceRegistryClaimMatchesCommitted(committed.id);
        }
    }

    function _openDispute(bytes32 id, address evaluator, bytes32 reportDigest)
        private
        returns (uint256 disputeId, uint48 lapsesAt)
    {
        StoredParameters storage parameters = _parameters;
        uint64 count = parameters.disputeCount + 1;
        parameters.disputeCount = count;
        disputeId = count;
        lapsesAt = uint48(block.timestamp) + parameters.resolutionTimeout;

        _disputes[disputeId] = StoredDispute(
            id,
            reportDigest,
            evaluator,
            // forge-lint: disable-next-line(unsafe-typecast) msg.value equals disputeBond, a uint96
            uint96(msg.value),
            msg.sender,
            uint48(block.timestamp),
            DisputeStatus.Open
        );
        ++_versions[_versionKey(id, reportDigest)].openDisputes;
        ++_accounts[evaluator].openDisputes;
        Record storage record = _records[id];
        record.status = ResultStatus.Disputed;
        record.everDisputed = true;
    }

    function _resolve(uint256 disputeId, StoredDispute storage stored, bool upheld, bool lapsed) private {
        StoredDispute memory d = stored;
        stored.status = upheld ? DisputeStatus.Upheld : DisputeStatus.Rejected;
        --_accounts[d.evaluator].openDisputes;
        _closeOnVersion(d, upheld);
        uint256 slashed;
        uint256 toDisputer;
        uint256 toTreasury;
        if (upheld) {
            slashed = _slash(d.evaluator);
            uint256 share = slashed * _parameters.disputerShareBps / BPS;
            toDisputer = share + d.bond;
            toTreasury = slashed - share;
            _credits[d.disputer] += toDisputer;
            if (toTreasury != 0) _credits[governance] += toTreasury;
        } else {
            _credits[d.evaluator] += d.bond;
        }
        emit DisputeResolved(
            disputeId,
            d.resultId,
            d.evaluator,
            upheld,
            lapsed,
            slashed,
            toDisputer,
            upheld ? 0 : d.bond,
            toTreasury
        );
    }

    /// @dev The dispute's effect on its result version: upheld strikes it; the last open dispute rejected on the
    /// live version makes it valid again; a rejected disputer is barred from the version.
    function _closeOnVersion(StoredDispute memory d, bool upheld) private {
        Version storage version = _versions[_versionKey(d.resultId, d.reportDigest)];
        uint32 stillOpen = --version.openDisputes;
        Record storage record = _records[d.resultId];
        bool live = record.reportDigest == d.reportDigest;
        if (upheld) {
            version.struck = true;
            if (live) record.status = ResultStatus.Struck;
        } else {
            if (live && stillOpen == 0 && record.status == ResultStatus.Disputed) {
                record.status = ResultStatus.Valid;
            }
            _barred[_disputerKey(d.resultId, d.reportDigest, d.disputer)] = true;
        }
    }

    /// @dev Takes the evaluator's whole stake, active and unbonding, and returns it.
    function _slash(address evaluator) private returns (uint256 slashed) {
        uint256 position = _accounts[evaluator].position;
        if (position != 0) {
            Member storage member = _members[position - 1];
            slashed = member.bond;
            member.bond = 0;
        }
        slashed += _unbondings[evaluator].amount;
        delete _unbondings[evaluator];
    }

    /// @dev Moves `amount` to unbonding (the caller has set the active bond to `bonded`), restarting the delay.
    function _startUnbonding(address evaluator, uint96 amount, uint96 bonded) private {
        uint256 position = _accounts[evaluator].position;
        if (position != 0) _members[position - 1].bond = bonded;
        Unbonding storage unbonding = _unbondings[evaluator];
        uint96 total = unbonding.amount + amount;
        uint48 readyAt = uint48(block.timestamp) + _parameters.unbondingDelay;
        unbonding.amount = total;
        unbonding.readyAt = readyAt;
        emit UnbondingStarted(evaluator, amount, bonded, total, readyAt);
    }

    function _setGameParameters(GameParameters memory p) private {
        if (
            p.challengePeriod == 0 || p.resolutionTimeout == 0 || p.minBond == 0 || p.disputeBond == 0
                || p.unbondingDelay <= p.challengePeriod || p.unbondingDelay > MAX_GAME_PERIOD
                || p.resolutionTimeout > MAX_GAME_PERIOD || p.disputerShareBps > BPS
        ) {
            revert EvidenceRegistryInvalidGameParameters(p);
        }
        StoredParameters storage stored = _parameters;
        stored.challengePeriod = p.challengePeriod;
        stored.minBond = p.minBond;
        stored.disputeBond = p.disputeBond;
        stored.unbondingDelay = p.unbondingDelay;
        stored.resolutionTimeout = p.resolutionTimeout;
        stored.disputerShareBps = p.disputerShareBps;
        emit GameParametersSet(p);
    }

    function _setResolver(address resolver_) private {
        emit ResolverSet(_resolver, resolver_);
        _resolver = resolver_;
    }

    function _versionKey(bytes32 id, bytes32 reportDigest) private pure returns (bytes32) {
        return keccak256(abi.encode(id, reportDigest));
    }

    function _disputerKey(bytes32 id, bytes32 reportDigest, address disputer) private pure returns (bytes32) {
        return keccak256(abi.encode(id, reportDigest, disputer));
    }

    /// @dev A leaf as OpenZeppelin's StandardMerkleTree hashes it: the double hash of the encoded values.
    function _leaf(string calldata sampleId, uint256 label, uint256 prediction, uint256 score)
        private
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(sampleId, label, prediction, score))));
    }

    /// @dev One live result as {evidenceFor} reports it, with its standing in the documented precedence.
    function _evidence(
        Member memory member,
        bytes32 id,
        Record storage record,
        uint256 metricIndex,
        uint256 challengePeriod,
        uint256 minBond
    ) private view returns (Evidence memory item) {
        ResultStatus status = record.status;
        uint48 submittedAt = record.submittedAt;
        // forge-lint: disable-next-line(unsafe-typecast) both are far below 2^48 (see MAX_GAME_PERIOD)
        uint48 from = uint48(submittedAt + challengePeriod);
        Standing standing = Standing.Counts;
        if (status == ResultStatus.Struck) standing = Standing.Struck;
        else if (status == ResultStatus.Disputed) standing = Standing.Disputed;
        else if (member.bond < minBond) standing = Standing.Underbonded;
        else if (block.timestamp < from) standing = Standing.InWindow;
        return
            Evidence(
                member.evaluator, standing, submittedAt, from, member.bond, _value(id, record, metricIndex)
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
