// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {SampleTree} from "../utils/SampleTree.sol";

/// @dev Plays the evidence game with real money and real proofs: evaluators bond, unbond, withdraw and post
/// results (each committing four samples); outsiders and evaluators dispute them with proofs against the roots
/// this handler built (sometimes tampered, sometimes barred, sometimes late); governance and the resolver
/// uphold or reject; anyone ends lapsed disputes and pays out credits; time passes. The ghost state is this
/// handler's own account of every stake, dispute bond and credit, and of each result's standing.
contract EvidenceGameHandler is Test {
    EvidenceRegistry internal immutable evidence;
    address public immutable treasury;
    address public immutable resolver = address(0xC0C0);

    bytes32 public constant SUITE = keccak256("game suite");
    uint256 public constant MODELS = 2;

    address[3] public evaluators = [address(0xB1), address(0xB2), address(0xB3)];
    address[3] public outsiders = [address(0xD1), address(0xD2), address(0xD3)];

    struct GhostStake {
        uint256 bonded;
        uint256 unbonding;
        uint256 readyAt;
        uint256 openDisputes;
    }

    /// @dev The live version of one (model, evaluator) result.
    struct GhostResult {
        bytes32 reportDigest;
        uint256 submittedAt;
        uint256 leafSeed;
    }

    struct GhostDispute {
        bytes32 modelId;
        address evaluator;
        bytes32 reportDigest;
        address disputer;
        uint256 bond;
        uint256 openedAt;
        bool open;
    }

    EvidenceRegistry.GameParameters internal _parameters;
    mapping(address evaluator => bool) public ghostAdmitted;
    mapping(address evaluator => GhostStake) internal _stakes;
    mapping(bytes32 modelId => mapping(address evaluator => GhostResult)) internal _results;
    mapping(bytes32 reportDigest => bool) public ghostStruck;
    /// @dev The last struck report digest of each result, for evaluators trying to post it again.
    mapping(bytes32 modelId => mapping(address evaluator => bytes32)) internal _lastStruck;
    mapping(bytes32 reportDigest => uint256) public ghostOpenOnVersion;
    mapping(bytes32 reportDigest => mapping(address disputer => bool)) internal _barred;
    mapping(address account => uint256) public ghostCredits;
    GhostDispute[] internal _disputes; // dispute id i + 1 is at index i
    uint256 public ghostOpenDisputeBonds;

    // Money in and out, as this handler sent and received it.
    uint256 public ghostDeposited;
    uint256 public ghostPaidOut;
    uint256 public ghostSlashed;

    // What must never happen.
    /// @dev The contract accepted a call the rules refuse, or refused one they allow.
    uint256 public ghostRuleMismatches;
    /// @dev Which action made the first mismatch, for the failure message.
    string public ghostFirstMismatch;
    /// @dev The contract's balance moved other than by exactly what a deposit or a payout says.
    uint256 public ghostUnexpectedFlows;
    /// @dev A resolution took more from an evaluator than its stake, or credited other than the rule says.
    uint256 public ghostSlashMismatches;

    // What each run must reach.
    uint256 public ghostDisputeCount;
    uint256 public ghostUpholds;
    uint256 public ghostRejects;
    uint256 public ghostLapses;
    uint256 public ghostSlashes;

    uint256 internal _nonce;

    constructor(EvidenceRegistry evidence_, address timelock) {
        evidence = evidence_;
        treasury = timelock;
        _parameters = evidence_.gameParameters();
        bytes32[] memory metrics = new bytes32[](1);
        metrics[0] = bytes32("accuracy");
        vm.startPrank(timelock);
        evidence.registerSuite(SUITE, keccak256("game data"), metrics, "");
        evidence.setResolver(resolver);
        for (uint256 i; i < 3; ++i) {
            evidence.admitEvaluator(evaluators[i], "");
            ghostAdmitted[evaluators[i]] = true;
        }
        vm.stopPrank();
        for (uint256 i; i < 3; ++i) {
            bond(i, _parameters.minBond);
        }
    }

    // ------------------------------------------------------------ stake

    /// @dev An evaluator (or, refused, an outsider) adds to its bond.
    function bond(uint256 actorSeed, uint256 amount) public {
        address bonder = actorSeed % 7 == 6 ? outsiders[actorSeed % 3] : evaluators[actorSeed % 3];
        amount = bound(amount, 1, 2 * uint256(_parameters.minBond));
        bool allowed = ghostAdmitted[bonder];
        vm.deal(bonder, bonder.balance + amount);
        uint256 before = address(evidence).balance;
        vm.prank(bonder);
        try evidence.bond{value: amount}() {
            if (!allowed) _mismatch("bond");
            _stakes[bonder].bonded += amount;
            ghostDeposited += amount;
            _expectBalance(before + amount);
        } catch {
            if (allowed) _mismatch("bond");
            _expectBalance(before);
        }
    }

    /// @dev An evaluator starts unbonding part or all of its bond (or, refused, more than it has).
    function unbond(uint256 evaluatorSeed, uint256 amount) public {
        address evaluator = evaluators[evaluatorSeed % 3];
        GhostStake storage stake = _stakes[evaluator];
        amount = bound(amount, 1, stake.bonded + 1);
        bool allowed = amount <= stake.bonded;
        uint256 before = address(evidence).balance;
        vm.prank(evaluator);
        try evidence.unbond(amount) {
            if (!allowed) _mismatch("unbond");
            stake.bonded -= amount;
            stake.unbonding += amount;
            stake.readyAt = block.timestamp + _parameters.unbondingDelay;
        } catch {
            if (allowed) _mismatch("unbond");
        }
        _expectBalance(before);
    }

    /// @dev An evaluator withdraws what it is unbonding: mostly once the delay has passed (waiting for it
    /// when `waitForIt`), sometimes too early or with a dispute still open (refused).
    function withdrawBond(uint256 evaluatorSeed, bool waitForIt) public {
        address evaluator = evaluators[evaluatorSeed % 3];
        GhostStake storage stake = _stakes[evaluator];
        if (waitForIt && block.timestamp < stake.readyAt) vm.warp(stake.readyAt);
        uint256 amount = stake.unbonding;
        bool allowed = amount != 0 && block.timestamp >= stake.readyAt && stake.openDisputes == 0;
        uint256 before = address(evidence).balance;
        uint256 received = evaluator.balance;
        vm.prank(evaluator);
        try evidence.withdrawBond() {
            if (!allowed) _mismatch("withdrawBond");
            stake.unbonding = 0;
            ghostPaidOut += amount;
            if (evaluator.balance != received + amount) ++ghostUnexpectedFlows;
            _expectBalance(before - amount);
        } catch {
            if (allowed) _mismatch("withdrawBond");
            _expectBalance(before);
        }
    }

    /// @dev Governance removes an evaluator (its bond starts unbonding) or admits one again.
    function admitOrRemove(uint256 evaluatorSeed, bool admit) public {
        address evaluator = evaluators[evaluatorSeed % 3];
        uint256 before = address(evidence).balance;
        vm.prank(treasury);
        if (admit) {
            try evidence.admitEvaluator(evaluator, "") {
                ghostAdmitted[evaluator] = true;
            } catch {}
        } else {
            try evidence.removeEvaluator(evaluator) {
                ghostAdmitted[evaluator] = false;
                GhostStake storage stake = _stakes[evaluator];
                if (stake.bonded != 0) {
                    stake.unbonding += stake.bonded;
                    stake.bonded = 0;
                    stake.readyAt = block.timestamp + _parameters.unbondingDelay;
                }
            } catch {}
        }
        _expectBalance(before);
    }

    // ------------------------------------------------------------ results

    function submit(uint256 modelSeed, uint256 evaluatorSeed, uint256 leafSeed, uint256 value) public {
        _submit(_model(modelSeed), evaluators[evaluatorSeed % 3], leafSeed, bound(value, 0, 1e18));
    }

    /// @dev An evaluator posts again a report digest that was struck: always refused.
    function repostStruck(uint256 modelSeed, uint256 evaluatorSeed) public {
        bytes32 modelId = _model(modelSeed);
        address evaluator = evaluators[evaluatorSeed % 3];
        bytes32 digest = _lastStruck[modelId][evaluator];
        if (digest == 0) return;
        vm.prank(evaluator);
        try evidence.submitResult(_submission(modelId, digest, 0, 1)) {
            _mismatch("repostStruck");
        } catch {}
    }

    // ------------------------------------------------------------ disputes

    /// @dev Someone disputes a result, naming one of its samples. Mostly an honest-looking dispute of a live
    /// result in its window (posting one first when there is none); sometimes with a tampered leaf or proof,
    /// the wrong bond, a claim equal to the leaf, by the evaluator itself, by a barred disputer, or late.
    function dispute(uint256 resultSeed, uint256 disputerSeed, uint256 sampleIndex, uint256 flaw) public {
        (bytes32 model, address evaluator) = _disputable(resultSeed);
        if (model == 0) {
            // Nothing to dispute: an admitted evaluator posts a result first (governance admitting one again
            // when it has removed them all).
            model = _model(resultSeed);
            evaluator = evaluators[resultSeed % 3];
            for (uint256 i = 1; i < 3 && !ghostAdmitted[evaluator]; ++i) {
                evaluator = evaluators[(resultSeed % 3 + i) % 3];
            }
            if (!ghostAdmitted[evaluator]) {
                evaluator = evaluators[resultSeed % 3];
                admitOrRemove(resultSeed, true);
            }
            _submit(model, evaluator, resultSeed, resultSeed % 1e18);
        }
        GhostResult storage live = _results[model][evaluator];
        if (live.reportDigest == 0) return;
        Attempt memory attempt =
            _attempt(model, evaluator, disputerSeed, sampleIndex % SampleTree.SIZE, flaw % 16);
        attempt.allowed = attempt.allowed && attempt.value == _parameters.disputeBond
            && !ghostStruck[live.reportDigest] && block.timestamp < _countsFrom(live)
            && attempt.disputer != evaluator && !_barred[live.reportDigest][attempt.disputer];
        _tryDispute(attempt, live.reportDigest);
    }

    /// @dev One dispute as a disputer would send it, and whether the rules allow it so far.
    struct Attempt {
        bytes32 model;
        address evaluator;
        address disputer;
        EvidenceRegistry.Sample committed;
        bytes32[] proof;
        EvidenceRegistry.Claim claim;
        uint256 value;
        bool allowed;
    }

    /// @dev An honest-looking dispute of the live result (flaws 0..8), or one with a single flaw: by the
    /// evaluator itself (9), by a disputer already barred (10), a tampered leaf (11) or proof (12), the wrong
    /// bond (13), a claim equal to the leaf (14), or after the window has closed (15).
    function _attempt(bytes32 model, address evaluator, uint256 disputerSeed, uint256 index, uint256 flaw)
        internal
        returns (Attempt memory a)
    {
        GhostResult storage live = _results[model][evaluator];
        (a.model, a.evaluator, a.allowed) = (model, evaluator, true);
        a.disputer = _disputer(disputerSeed, evaluator);
        if (flaw == 9) a.disputer = evaluator;
        if (flaw == 10) a.disputer = _barredOn(live.reportDigest, a.disputer);
        a.committed = SampleTree.sample(live.leafSeed, index);
        a.proof = SampleTree.proof(live.leafSeed, index);
        a.claim = SampleTree.claimAgainst(a.committed, "ipfs://mine");
        a.value = _parameters.disputeBond;
        if (flaw == 11) (a.committed.score, a.allowed) = (a.committed.score + 1, false);
        if (flaw == 12) (a.proof[disputerSeed % 2], a.allowed) = (keccak256(abi.encode(flaw)), false);
        if (flaw == 13) a.value = disputerSeed % 2 == 0 ? a.value - 1 : a.value + 1;
        if (flaw == 14) {
            (a.claim.prediction, a.claim.score, a.allowed) =
            (a.committed.prediction, a.committed.score, false);
        }
        if (flaw == 15 && block.timestamp < _countsFrom(live)) vm.warp(_countsFrom(live));
    }

    function _tryDispute(Attempt memory a, bytes32 reportDigest) internal {
        vm.deal(a.disputer, a.disputer.balance + a.value);
        uint256 before = address(evidence).balance;
        vm.prank(a.disputer);
        try evidence.dispute{value: a.value}(
            a.model, SUITE, a.evaluator, reportDigest, a.committed, a.proof, a.claim
        ) returns (
            uint256 disputeId
        ) {
            if (!a.allowed || disputeId != _disputes.length + 1) _mismatch("dispute accepted");
            _disputes.push(
                GhostDispute(a.model, a.evaluator, reportDigest, a.disputer, a.value, block.timestamp, true)
            );
            ++ghostOpenOnVersion[reportDigest];
            ++_stakes[a.evaluator].openDisputes;
            ghostOpenDisputeBonds += a.value;
            ghostDeposited += a.value;
            ++ghostDisputeCount;
            _expectBalance(before + a.value);
        } catch (bytes memory reason) {
            if (a.allowed) _mismatch(string.concat("dispute refused: ", vm.toString(reason)));
            _expectBalance(before);
        }
    }

    /// @dev The resolver or governance (or, refused, a stranger) upholds or rejects an open dispute.
    /// A dispute must be open to resolve: when none is, one is opened first; an upheld one mostly goes to a
    /// dispute against an evaluator that still has stake, so that upholds slash.
    function resolve(uint256 disputeSeed, bool upheld, uint256 callerSeed) public {
        uint256 id = _openDisputeOrNew(disputeSeed, upheld && callerSeed % 4 != 0);
        if (id == 0) return;
        uint256 which = callerSeed % 8;
        address caller = which < 4 ? resolver : which < 7 ? treasury : outsiders[callerSeed % 3];
        bool allowed = which < 7;
        uint256 before = address(evidence).balance;
        vm.prank(caller);
        try evidence.resolveDispute(id, upheld) {
            if (!allowed) _mismatch("resolve");
            _settle(id, upheld);
        } catch {
            if (allowed) _mismatch("resolve");
        }
        _expectBalance(before);
    }

    /// @dev Anyone ends a dispute nobody resolved in time: mostly after waiting for its lapse, sometimes early
    /// (refused).
    function resolveLapsed(uint256 disputeSeed, uint256 waitSeed) public {
        uint256 id = _openDisputeOrNew(disputeSeed, false);
        if (id == 0) return;
        uint256 lapsesAt = _disputes[id - 1].openedAt + _parameters.resolutionTimeout;
        if (waitSeed % 4 != 0 && block.timestamp < lapsesAt) vm.warp(lapsesAt);
        bool allowed = block.timestamp >= lapsesAt;
        uint256 before = address(evidence).balance;
        vm.prank(address(uint160(disputeSeed)));
        try evidence.resolveLapsedDispute(id) {
            if (!allowed) _mismatch("resolveLapsed");
            _settle(id, false);
            ++ghostLapses;
        } catch {
            if (allowed) _mismatch("resolveLapsed");
        }
        _expectBalance(before);
    }

    /// @dev Anyone pays an account its credit.
    function withdrawCredit(uint256 accountSeed) public {
        address creditor = account(accountSeed);
        uint256 amount = ghostCredits[creditor];
        uint256 before = address(evidence).balance;
        uint256 received = creditor.balance;
        vm.prank(address(uint160(accountSeed >> 8)));
        try evidence.withdrawCredit(creditor) {
            if (amount == 0) _mismatch("withdrawCredit");
            ghostCredits[creditor] = 0;
            ghostPaidOut += amount;
            if (creditor.balance != received + amount) ++ghostUnexpectedFlows;
            _expectBalance(before - amount);
        } catch {
            if (amount != 0) _mismatch("withdrawCredit");
            _expectBalance(before);
        }
    }

    /// @dev Mostly short steps inside a challenge window, sometimes past it, rarely past an unbonding delay;
    /// sometimes to the last second of a live result's window or the first after it, where its standing is
    /// checked at once (the invariants run only every few calls).
    function wait(uint256 seconds_) public {
        uint256 which = seconds_ % 8;
        if (which == 1 || which == 2) return _waitForWindowEdge(seconds_ >> 3, which == 1);
        uint256 longest = which == 0 ? _parameters.unbondingDelay : _parameters.challengePeriod / 2;
        vm.warp(block.timestamp + bound(seconds_ >> 3, 0, longest));
    }

    function _waitForWindowEdge(uint256 seed, bool lastSecondInside) internal {
        (bytes32 model, address evaluator) = _disputable(seed);
        if (model == 0) return;
        uint256 edge = _countsFrom(_results[model][evaluator]) - (lastSecondInside ? 1 : 0);
        if (edge > block.timestamp) vm.warp(edge);
        EvidenceRegistry.Evidence[] memory found = evidence.evidenceFor(model, SUITE, 0);
        for (uint256 i; i < found.length; ++i) {
            if (found[i].evaluator != evaluator) continue;
            if (found[i].standing != referenceStanding(model, evaluator)) {
                _mismatch("standing at a window's edge");
            }
        }
    }

    // ------------------------------------------------------------ views for the invariants

    /// @dev Every account that can hold a credit: the evaluators, the outsiders and the treasury.
    function account(uint256 seed) public view returns (address) {
        seed %= 7;
        return seed < 3 ? evaluators[seed] : seed < 6 ? outsiders[seed - 3] : treasury;
    }

    function accountCount() external pure returns (uint256) {
        return 7;
    }

    function ghostStake(address evaluator) external view returns (GhostStake memory) {
        return _stakes[evaluator];
    }

    function modelAt(uint256 index) public pure returns (bytes32) {
        return keccak256(abi.encode("game model", index));
    }

    function liveResult(bytes32 model, address evaluator) external view returns (GhostResult memory) {
        return _results[model][evaluator];
    }

    /// @dev The standing the rules give a live result now: struck, disputed, underbonded, in its window, or
    /// counting, in that order of precedence.
    function referenceStanding(bytes32 model, address evaluator)
        public
        view
        returns (EvidenceRegistry.Standing)
    {
        GhostResult storage live = _results[model][evaluator];
        if (ghostStruck[live.reportDigest]) return EvidenceRegistry.Standing.Struck;
        if (ghostOpenOnVersion[live.reportDigest] != 0) return EvidenceRegistry.Standing.Disputed;
        if (_stakes[evaluator].bonded < _parameters.minBond) return EvidenceRegistry.Standing.Underbonded;
        if (block.timestamp < _countsFrom(live)) return EvidenceRegistry.Standing.InWindow;
        return EvidenceRegistry.Standing.Counts;
    }

    function countsFrom(bytes32 model, address evaluator) external view returns (uint256) {
        return _countsFrom(_results[model][evaluator]);
    }

    // ------------------------------------------------------------ internals

    /// @dev Applies a resolution to the ghost: upheld slashes the evaluator's whole stake (the disputer's share
    /// and its bond back to the disputer, the rest to the treasury) and strikes the version; rejected (or
    /// lapsed) gives the bond to the evaluator and bars the disputer from this version. Checks that the
    /// contract credited exactly that, and never more than the stake.
    function _settle(uint256 id, bool upheld) internal {
        GhostDispute storage d = _disputes[id - 1];
        GhostStake storage stake = _stakes[d.evaluator];
        d.open = false;
        --ghostOpenOnVersion[d.reportDigest];
        --stake.openDisputes;
        ghostOpenDisputeBonds -= d.bond;
        if (upheld) {
            uint256 slashed = stake.bonded + stake.unbonding;
            uint256 toDisputer = slashed * _parameters.disputerShareBps / 10_000;
            _credit(d.disputer, toDisputer + d.bond);
            _credit(treasury, slashed - toDisputer);
            (stake.bonded, stake.unbonding) = (0, 0);
            ghostSlashed += slashed;
            if (!ghostStruck[d.reportDigest]) {
                ghostStruck[d.reportDigest] = true;
                _lastStruck[d.modelId][d.evaluator] = d.reportDigest;
            }
            ++ghostUpholds;
            if (slashed != 0) ++ghostSlashes;
        } else {
            _credit(d.evaluator, d.bond);
            _barred[d.reportDigest][d.disputer] = true;
            ++ghostRejects;
        }
    }

    /// @dev Credits the ghost and checks the contract did the same, so a slash that took more than the stake
    /// (or paid the wrong party) is caught at the call that made it.
    function _credit(address to, uint256 amount) internal {
        ghostCredits[to] += amount;
        if (evidence.credits(to) != ghostCredits[to]) ++ghostSlashMismatches;
    }

    function _submit(bytes32 model, address evaluator, uint256 leafSeed, uint256 value) internal {
        bytes32 digest = keccak256(abi.encode("game report", ++_nonce));
        vm.prank(evaluator);
        try evidence.submitResult(_submission(model, digest, leafSeed, value)) {
            if (!ghostAdmitted[evaluator]) _mismatch("_submit");
            _results[model][evaluator] = GhostResult(digest, block.timestamp, leafSeed);
        } catch {
            if (ghostAdmitted[evaluator]) _mismatch("_submit");
        }
    }

    function _submission(bytes32 model, bytes32 digest, uint256 leafSeed, uint256 value)
        internal
        pure
        returns (EvidenceRegistry.Submission memory)
    {
        bytes32[] memory metrics = new bytes32[](1);
        metrics[0] = bytes32("accuracy");
        uint256[] memory values = new uint256[](1);
        values[0] = value;
        return
            EvidenceRegistry.Submission(model, SUITE, metrics, values, digest, SampleTree.root(leafSeed), "");
    }

    function _model(uint256 seed) internal pure returns (bytes32) {
        return modelAt(seed % MODELS);
    }

    function _countsFrom(GhostResult storage live) internal view returns (uint256) {
        return live.submittedAt + _parameters.challengePeriod;
    }

    /// @dev The first live result (from the seed on) that is not struck and still in its window.
    function _disputable(uint256 seed) internal view returns (bytes32, address) {
        for (uint256 i; i < MODELS * 3; ++i) {
            uint256 slot = seed % (MODELS * 3) + i;
            bytes32 model = _model(slot / 3);
            address evaluator = evaluators[slot % 3];
            GhostResult storage live = _results[model][evaluator];
            if (
                live.reportDigest != 0 && !ghostStruck[live.reportDigest]
                    && block.timestamp < _countsFrom(live)
            ) {
                return (model, evaluator);
            }
        }
        return (0, address(0));
    }

    /// @dev Mostly an outsider, sometimes another evaluator.
    function _disputer(uint256 seed, address evaluator) internal view returns (address) {
        if (seed % 4 != 0) return outsiders[seed % 3];
        address other = evaluators[seed % 3];
        return other == evaluator ? evaluators[(seed % 3 + 1) % 3] : other;
    }

    /// @dev A disputer already barred from this version when there is one, else `fallback_`.
    function _barredOn(bytes32 digest, address fallback_) internal view returns (address) {
        for (uint256 i; i < 6; ++i) {
            address candidate = i < 3 ? outsiders[i] : evaluators[i - 3];
            if (_barred[digest][candidate]) return candidate;
        }
        return fallback_;
    }

    /// @dev The first open dispute from the seed on (when `staked`, the first against an evaluator with stake,
    /// if any), opening an honest-looking one when none is open; zero when none could be opened.
    function _openDisputeOrNew(uint256 seed, bool staked) internal returns (uint256 id) {
        id = _openDispute(seed, staked);
        if (id == 0) id = _openDispute(seed, false);
        if (id != 0) return id;
        dispute(seed, seed >> 8, seed >> 16, 0);
        return _openDispute(seed, false);
    }

    function _openDispute(uint256 seed, bool staked) internal view returns (uint256) {
        uint256 count = _disputes.length;
        for (uint256 i; i < count; ++i) {
            uint256 index = (seed % count + i) % count;
            GhostDispute storage d = _disputes[index];
            if (!d.open) continue;
            if (staked && _stakes[d.evaluator].bonded + _stakes[d.evaluator].unbonding == 0) continue;
            return index + 1;
        }
        return 0;
    }

    function _mismatch(string memory action) internal {
        if (ghostRuleMismatches++ == 0) ghostFirstMismatch = action;
    }

    function _expectBalance(uint256 expected) internal {
        if (address(evidence).balance != expected) ++ghostUnexpectedFlows;
    }
}
