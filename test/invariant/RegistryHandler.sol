// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Test} from "forge-std/Test.sol";

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {ModelRegistry} from "../../contracts/src/ModelRegistry.sol";
import {PolicyRegistry} from "../../contracts/src/PolicyRegistry.sol";
import {IProposalGuardian} from "../../contracts/src/interfaces/IProposalGuardian.sol";
import {SampleTree} from "../utils/SampleTree.sol";

/// @dev Drives the registries with random evidence (bonded, counting only after its challenge window),
/// disputes naming a sample with its proof and their resolutions, policy changes, family bindings, approvals
/// proposed at one time and executed at another, suspensions, lifts, lapses and registrations, from the
/// timelock, the guardian, the family's maintainer and strangers, and keeps its own account of what the
/// state must be (the ghost state), including independent implementations of the policy check and of
/// the family's current version.
contract RegistryHandler is Test {
    EvidenceRegistry internal immutable evidence;
    PolicyRegistry internal immutable policies;
    ModelRegistry internal immutable models;
    IProposalGuardian internal immutable guardianSource;
    address internal immutable timelock;
    address internal immutable guardian;

    bytes32 public constant SUITE = keccak256("suite");
    bytes32 public constant POLICY = bytes32("policy");
    /// @dev A policy any single fresh result meets: what an attacker would like to name instead.
    bytes32 public constant LAX = bytes32("lax");
    string public constant FAMILY = "family";
    bytes32 public constant FAMILY_ID = keccak256("family");
    bytes32 internal constant METRIC_A = bytes32("a");
    bytes32 internal constant METRIC_B = bytes32("b");
    uint256 internal constant MAX_MODELS = 4;
    uint256 internal constant MAX_PENDING = 6;

    address[3] public evaluators = [address(0xE1), address(0xE2), address(0xE3)];
    address[3] public maintainerCandidates = [address(0xA1), address(0xA2), address(0xA3)];
    /// @dev Who disputes besides the evaluators: anyone may.
    address internal constant OUTSIDER = address(0xD15);
    bytes32[] public modelIds;

    /// @dev The live version of a result; whether it is disputed or struck is kept per version (digest).
    struct GhostResult {
        uint256 submittedAt;
        uint256[2] values;
        bytes32 reportDigest;
        uint256 samplesSeed;
    }

    struct GhostDispute {
        bytes32 reportDigest;
        address evaluator;
        address disputer;
        bool open;
    }

    struct GhostPolicy {
        PolicyRegistry.Rule[] rules;
        uint8 minEvaluators;
        uint48 maxAge;
        uint256 versions;
    }

    /// @dev An approval as a proposal carries it: built when proposed, executed (or not) later.
    struct Approval {
        bytes32 modelId;
        bytes32 policyId;
        uint256 policyVersion;
        bytes32 expectedCurrent;
        uint48 expiresAt;
    }

    mapping(bytes32 modelId => mapping(address evaluator => GhostResult)) public ghostResults;
    mapping(address evaluator => bool) public ghostAdmitted;
    /// @dev Each evaluator's active bond: what decides whether its results may count.
    mapping(address evaluator => uint256) public ghostBond;
    mapping(bytes32 reportDigest => uint256) public ghostOpenDisputes;
    mapping(bytes32 reportDigest => bool) public ghostStruck;
    mapping(bytes32 reportDigest => mapping(address disputer => bool)) internal _barred;
    GhostDispute[] internal _disputes; // dispute id i + 1 is at index i
    EvidenceRegistry.GameParameters internal _game;
    mapping(bytes32 modelId => ModelRegistry.Status) public ghostStatus;
    mapping(bytes32 modelId => bool) public ghostSuspendedOnce;
    mapping(bytes32 modelId => uint48) public ghostSuspendedUntil;
    mapping(bytes32 policyId => GhostPolicy) internal _ghostPolicies;
    bytes32[] internal _ghostApprovalOrder;
    bytes32 public ghostFamilyPolicy;
    address public ghostMaintainer;
    uint48 public ghostApprovalWindow;
    uint48 public ghostMaxSuspension;
    Approval[] internal _pending;

    // What must never happen.
    uint256 public ghostApprovedOutsideRules;
    uint256 public ghostRefusedWithinRules;
    uint256 public ghostTransitionMismatches;
    uint256 public ghostUnauthorizedRegistrations;
    uint256 public ghostUnauthorizedChanges;
    // What must happen at least once per run, so that the invariants see the states they guard.
    uint256 public ghostApprovals;
    uint256 public ghostSuspensions;
    uint256 public ghostSuspensionEnds;
    uint256 public ghostDisputes;
    uint256 internal _nonce;

    constructor(
        EvidenceRegistry evidence_,
        PolicyRegistry policies_,
        ModelRegistry models_,
        IProposalGuardian guardianSource_,
        TimelockController timelock_
    ) {
        evidence = evidence_;
        policies = policies_;
        models = models_;
        guardianSource = guardianSource_;
        timelock = address(timelock_);
        guardian = guardianSource_.proposalGuardian();
        ghostApprovalWindow = models_.approvalWindow();
        ghostMaxSuspension = models_.maxSuspension();
        _game = evidence_.gameParameters();

        bytes32[] memory metrics = new bytes32[](2);
        (metrics[0], metrics[1]) = (METRIC_A, METRIC_B);
        vm.prank(timelock);
        evidence.registerSuite(SUITE, keccak256("data"), metrics, "");
        for (uint256 i; i < 3; ++i) {
            vm.prank(timelock);
            evidence.admitEvaluator(evaluators[i], "");
            ghostAdmitted[evaluators[i]] = true;
            _bondUp(evaluators[i]);
        }
        _setPolicy(LAX, 0, 0, false, 1, 20 days);
        setPolicy(0.5e18, 0.5e18, true, 2, 10 days);
        bindFamily(false);
        ghostMaintainer = maintainerCandidates[0];
        _register(ghostMaintainer, 0);
        _register(ghostMaintainer, 0);
        _register(ghostMaintainer, 0);
    }

    // ------------------------------------------------------------ evaluator actions

    function submit(uint256 modelSeed, uint256 evaluatorSeed, uint256 a, uint256 b) public {
        _submit(_model(modelSeed), evaluators[evaluatorSeed % 3], bound(a, 0, 1e18), bound(b, 0, 1e18));
    }

    /// @dev Someone (another evaluator or an outsider) disputes a live result inside its window, naming one
    /// of its samples with the proof against the root it committed to: mostly the first result (from the seed
    /// on) that may be disputed, posting a fresh one when none may; sometimes any result (often refused).
    function dispute(uint256 modelSeed, uint256 evaluatorSeed, uint256 disputerSeed) public {
        bytes32 modelId = _model(modelSeed);
        address evaluator = evaluators[evaluatorSeed % 3];
        address disputer = disputerSeed % 3 == 0 ? OUTSIDER : evaluators[disputerSeed % 3];
        if (disputerSeed % 5 != 0) {
            (bytes32 found, address author) = _disputable(modelSeed, evaluatorSeed, disputer);
            if (found == 0) {
                _postForDispute(modelId, evaluatorSeed, disputer);
                (found, author) = _disputable(modelSeed, evaluatorSeed, disputer);
            }
            if (found != 0) (modelId, evaluator) = (found, author);
        }
        GhostResult storage ghost = ghostResults[modelId][evaluator];
        if (ghost.reportDigest == 0) return;
        bool allowed = _mayDispute(ghost, evaluator, disputer);
        uint256 index = disputerSeed % SampleTree.SIZE;
        EvidenceRegistry.Sample memory committed = SampleTree.sample(ghost.samplesSeed, index);
        vm.deal(disputer, disputer.balance + _game.disputeBond);
        vm.prank(disputer);
        try evidence.dispute{value: _game.disputeBond}(
            modelId,
            SUITE,
            evaluator,
            ghost.reportDigest,
            committed,
            SampleTree.proof(ghost.samplesSeed, index),
            SampleTree.claimAgainst(committed, "")
        ) {
            if (!allowed) ++ghostTransitionMismatches;
            _disputes.push(GhostDispute(ghost.reportDigest, evaluator, disputer, true));
            ++ghostOpenDisputes[ghost.reportDigest];
            ++ghostDisputes;
        } catch {
            if (allowed) ++ghostTransitionMismatches;
        }
    }

    /// @dev An admitted evaluator other than `disputer` posts a result to dispute (governance admitting one
    /// again when it has removed them all).
    function _postForDispute(bytes32 modelId, uint256 evaluatorSeed, address disputer) internal {
        address author;
        for (uint256 e; e < 3 && author == address(0); ++e) {
            address candidate = evaluators[(evaluatorSeed % 3 + e) % 3];
            if (ghostAdmitted[candidate] && candidate != disputer) author = candidate;
        }
        if (author == address(0)) {
            author = evaluators[(evaluatorSeed % 3 + 1) % 3];
            if (author == disputer) author = evaluators[(evaluatorSeed % 3 + 2) % 3];
            vm.prank(timelock);
            evidence.admitEvaluator(author, "");
            ghostAdmitted[author] = true;
        }
        _submit(modelId, author, 1e18, 1e18);
    }

    /// @dev Whether the rules let `disputer` dispute this live result now: not struck, inside its window, not
    /// its own, and no dispute of this disputer on this version rejected.
    function _mayDispute(GhostResult storage ghost, address evaluator, address disputer)
        internal
        view
        returns (bool)
    {
        return ghost.reportDigest != 0 && !ghostStruck[ghost.reportDigest] && disputer != evaluator
            && block.timestamp < ghost.submittedAt + _game.challengePeriod
            && !_barred[ghost.reportDigest][disputer];
    }

    function _disputable(uint256 modelSeed, uint256 evaluatorSeed, address disputer)
        internal
        view
        returns (bytes32, address)
    {
        for (uint256 m; m < modelIds.length; ++m) {
            bytes32 candidateModel = modelIds[(modelSeed % modelIds.length + m) % modelIds.length];
            for (uint256 e; e < 3; ++e) {
                address author = evaluators[(evaluatorSeed % 3 + e) % 3];
                if (_mayDispute(ghostResults[candidateModel][author], author, disputer)) {
                    return (candidateModel, author);
                }
            }
        }
        return (0, address(0));
    }

    function wait(uint256 seconds_) public {
        vm.warp(block.timestamp + bound(seconds_, 0, 5 days));
    }

    // ------------------------------------------------------------ maintainer actions

    /// @dev The maintainer, governance, a former maintainer or a stranger registers a new version, or hands
    /// the family to another account.
    function maintainerAction(bool transfer, uint256 callerSeed, uint256 otherSeed) public {
        uint256 which = callerSeed % 4;
        address caller = which == 0
            ? ghostMaintainer
            : which == 1
                ? timelock
                : which == 2 ? maintainerCandidates[callerSeed % 3] : address(uint160(callerSeed));
        if (!transfer) {
            if (modelIds.length < MAX_MODELS) {
                _register(caller, otherSeed % 2 == 0 ? bytes32(0) : _model(otherSeed));
            }
            return;
        }
        address to = maintainerCandidates[otherSeed % 3];
        bool allowed = caller == ghostMaintainer || caller == timelock;
        vm.prank(caller);
        try models.setMaintainer(FAMILY, to) {
            if (!allowed) ++ghostUnauthorizedChanges;
            ghostMaintainer = to;
        } catch {
            if (allowed) ++ghostTransitionMismatches;
        }
    }

    // ------------------------------------------------------------ governance actions

    /// @dev Governance resolves an open dispute (upheld strikes the version and slashes the evaluator's
    /// whole stake; rejected frees the version), or admits or removes an evaluator (removal moves its bond to
    /// unbonding, so its results stop counting).
    function evidenceGovernance(bool resolve, uint256 modelSeed, uint256 evaluatorSeed, bool flag) public {
        address evaluator = evaluators[evaluatorSeed % 3];
        vm.startPrank(timelock);
        if (resolve) {
            uint256 id = _openDispute(modelSeed);
            if (id != 0) {
                GhostDispute storage d = _disputes[id - 1];
                try evidence.resolveDispute(id, flag) {
                    d.open = false;
                    --ghostOpenDisputes[d.reportDigest];
                    if (flag) {
                        ghostStruck[d.reportDigest] = true;
                        ghostBond[d.evaluator] = 0;
                    } else {
                        _barred[d.reportDigest][d.disputer] = true;
                    }
                } catch {
                    ++ghostTransitionMismatches;
                }
            }
        } else if (flag) {
            try evidence.admitEvaluator(evaluator, "") {
                ghostAdmitted[evaluator] = true;
            } catch {}
        } else {
            try evidence.removeEvaluator(evaluator) {
                ghostAdmitted[evaluator] = false;
                ghostBond[evaluator] = 0;
            } catch {}
        }
        vm.stopPrank();
    }

    /// @dev The first open dispute from the seed on, or zero.
    function _openDispute(uint256 seed) internal view returns (uint256) {
        uint256 count = _disputes.length;
        for (uint256 i; i < count; ++i) {
            uint256 index = (seed % count + i) % count;
            if (_disputes[index].open) return index + 1;
        }
        return 0;
    }

    function setPolicy(
        uint256 thresholdA,
        uint256 thresholdB,
        bool bAtMost,
        uint256 minEvaluators,
        uint256 maxAge
    ) public {
        _setPolicy(POLICY, thresholdA, thresholdB, bAtMost, minEvaluators, maxAge);
    }

    /// @dev Governance binds the family to a policy (the lax one is a legitimate choice, made in the open),
    /// or sets the approval window or the longest suspension.
    function setParameter(uint256 which, uint256 value) public {
        which %= 3;
        if (which == 0) return bindFamily(value % 4 == 0);
        vm.startPrank(timelock);
        if (which == 1) {
            uint48 window = uint48(bound(value, 1 days, 40 days));
            models.setApprovalWindow(window);
            ghostApprovalWindow = window;
        } else {
            uint48 duration = uint48(bound(value, 1 hours, 20 days));
            models.setMaxSuspension(duration);
            ghostMaxSuspension = duration;
        }
        vm.stopPrank();
    }

    function bindFamily(bool lax) internal {
        bytes32 policyId = lax ? LAX : POLICY;
        vm.prank(timelock);
        models.setFamilyPolicy(FAMILY, policyId);
        ghostFamilyPolicy = policyId;
    }

    /// @dev A proposal is made: its approval names a policy (the family's, or the lax one), that policy's
    /// active version and the family's current version now, and expires some time from now.
    function proposeApproval(uint256 modelSeed, bool namesLax, uint256 expiresIn) public {
        bytes32 policyId = namesLax ? LAX : ghostFamilyPolicy;
        Approval memory approval = Approval(
            _model(modelSeed),
            policyId,
            _ghostPolicies[policyId].versions,
            referenceCurrentVersion(),
            uint48(block.timestamp + bound(expiresIn, 0, 60 days))
        );
        if (_pending.length < MAX_PENDING) _pending.push(approval);
        else _pending[_nonce % MAX_PENDING] = approval;
        ++_nonce;
    }

    /// @dev A queued approval is executed, possibly long after it was proposed.
    function executeApproval(uint256 pendingSeed) public {
        if (_pending.length == 0) return;
        _tryApprove(_pending[pendingSeed % _pending.length]);
    }

    /// @dev A proposal made and executed at once, after the evaluators (optionally) topped up their bonds and
    /// the evidence and its challenge window passed: the path that reaches approvals in most runs.
    function approveNow(uint256 modelSeed, bool topUpEvidence) public {
        bytes32 modelId = _modelIn(modelSeed, ModelRegistry.Status.Candidate, ModelRegistry.Status.Deprecated);
        if (topUpEvidence || modelSeed % 3 != 0) {
            PolicyRegistry.Rule[] storage rules = _ghostPolicies[ghostFamilyPolicy].rules;
            bool bAtMost = rules.length > 1 && rules[1].comparator == PolicyRegistry.Comparator.AtMost;
            for (uint256 e; e < 3; ++e) {
                if (ghostAdmitted[evaluators[e]]) _bondUp(evaluators[e]);
                _submit(modelId, evaluators[e], 1e18, bAtMost ? 0 : 1e18);
            }
            vm.warp(block.timestamp + _game.challengePeriod);
        }
        _tryApprove(
            Approval(
                modelId,
                ghostFamilyPolicy,
                _ghostPolicies[ghostFamilyPolicy].versions,
                referenceCurrentVersion(),
                uint48(block.timestamp)
            )
        );
    }

    /// @dev Governance deprecates a version, or (rarely: it is final, and most runs would otherwise end
    /// with nothing to approve) revokes one.
    function retire(uint256 modelSeed, uint256 chance) public {
        // Mostly a version whose suspension the guardian has used up and which is approved again, so that
        // versions cycle back to approvable; sometimes any version, so that refusals are exercised.
        bytes32 modelId = _model(modelSeed);
        if (chance % 5 != 0) {
            for (uint256 i; i < modelIds.length; ++i) {
                bytes32 candidate = modelIds[(modelSeed % modelIds.length + i) % modelIds.length];
                ModelRegistry.Status status = ghostStatus[candidate];
                if (status == ModelRegistry.Status.Approved && ghostSuspendedOnce[candidate]) {
                    modelId = candidate;
                    break;
                }
            }
        }
        ModelRegistry.Status from = ghostStatus[modelId];
        bool revoking = chance % 20 == 0;
        bool allowed = revoking
            ? from != ModelRegistry.Status.Unknown && from != ModelRegistry.Status.Revoked
            : from == ModelRegistry.Status.Approved || from == ModelRegistry.Status.Suspended;
        vm.prank(timelock);
        (bool ok,) = address(models)
            .call(
                revoking
                    ? abi.encodeCall(models.revoke, (modelId, ""))
                    : abi.encodeCall(models.deprecate, (modelId))
            );
        if (ok != allowed) ++ghostTransitionMismatches;
        if (ok) {
            ghostStatus[modelId] = revoking ? ModelRegistry.Status.Revoked : ModelRegistry.Status.Deprecated;
        }
    }

    // ------------------------------------------------------------ the guardian

    /// @dev The guardian (or, refused, a stranger) suspends a version, mostly one it may suspend. When no
    /// version is suspendable, governance approves one first: an emergency needs an approved version.
    function suspend(uint256 modelSeed, bool byStranger) public {
        bytes32 modelId = _suspendable(modelSeed);
        if (modelId == 0) {
            approveNow(modelSeed, true);
            modelId = _suspendable(modelSeed);
        }
        if (modelId == 0 || modelSeed % 5 == 0) modelId = _model(modelSeed);
        address caller = byStranger && modelSeed % 4 == 0 ? address(uint160(modelSeed)) : guardian;
        address current = guardianSource.proposalGuardian();
        bool allowed = current != address(0) && caller == current
            && ghostStatus[modelId] == ModelRegistry.Status.Approved && !ghostSuspendedOnce[modelId];
        vm.prank(caller);
        try models.suspend(modelId, "") {
            if (!allowed) ++ghostTransitionMismatches;
            ghostStatus[modelId] = ModelRegistry.Status.Suspended;
            ghostSuspendedOnce[modelId] = true;
            uint256 until = block.timestamp + ghostMaxSuspension;
            ghostSuspendedUntil[modelId] = until > type(uint48).max ? type(uint48).max : uint48(until);
            ++ghostSuspensions;
        } catch {
            if (allowed) ++ghostTransitionMismatches;
        }
    }

    /// @dev A suspension ends: lifted by governance, the guardian or (refused) a stranger, or ended by
    /// anyone once it has lapsed.
    function endSuspension(uint256 modelSeed, uint256 callerSeed, bool lapse) public {
        bytes32 modelId = _modelIn(modelSeed, ModelRegistry.Status.Suspended, ModelRegistry.Status.Suspended);
        // A suspension must exist to end: when none does, the guardian suspends first.
        if (ghostStatus[modelId] != ModelRegistry.Status.Suspended && modelSeed % 5 != 0) {
            suspend(modelSeed, false);
            modelId = _modelIn(modelSeed, ModelRegistry.Status.Suspended, ModelRegistry.Status.Suspended);
        }
        bool suspended = ghostStatus[modelId] == ModelRegistry.Status.Suspended;
        uint256 which = callerSeed % 5;
        address caller = which < 2 ? timelock : which < 4 ? guardian : address(uint160(callerSeed));
        // Most lapses come after nobody acted until the suspension ran out; some are tried too early.
        if (lapse && suspended && callerSeed % 4 != 0 && block.timestamp < ghostSuspendedUntil[modelId]) {
            vm.warp(ghostSuspendedUntil[modelId]);
        }
        bool allowed;
        if (lapse) {
            allowed = suspended && block.timestamp >= ghostSuspendedUntil[modelId];
        } else {
            address current = guardianSource.proposalGuardian();
            allowed = suspended && (caller == timelock || (current != address(0) && caller == current));
        }
        vm.prank(caller);
        (bool ok,) = address(models)
            .call(
                lapse
                    ? abi.encodeCall(models.endLapsedSuspension, (modelId))
                    : abi.encodeCall(models.liftSuspension, (modelId))
            );
        if (ok != allowed) ++ghostTransitionMismatches;
        if (ok) {
            ghostStatus[modelId] = ModelRegistry.Status.Approved;
            ++ghostSuspensionEnds;
        }
    }

    // ------------------------------------------------------------ strangers

    /// @dev Every governed function, called by someone other than the timelock: none may succeed.
    function strangerAttempt(address stranger, uint256 which, uint256 modelSeed) public {
        // The zero address sends no transactions (and is how "no resolver" is stored).
        if (stranger == timelock || stranger == address(0)) return;
        bytes32 modelId = _model(modelSeed);
        bytes memory call;
        address target = address(models);
        which %= 13;
        if (which == 0) {
            call = abi.encodeCall(
                models.approve,
                (
                    modelId,
                    POLICY,
                    _ghostPolicies[POLICY].versions,
                    referenceCurrentVersion(),
                    uint48(block.timestamp)
                )
            );
        }
        if (which == 1) call = abi.encodeCall(models.deprecate, (modelId));
        if (which == 2) call = abi.encodeCall(models.revoke, (modelId, ""));
        if (which == 3) call = abi.encodeCall(models.setFamilyPolicy, (FAMILY, LAX));
        if (which == 4) call = abi.encodeCall(models.setApprovalWindow, (1));
        if (which == 5) call = abi.encodeCall(models.setMaxSuspension, (1));
        if (which == 6) {
            (target, call) =
            (
                address(policies),
                abi.encodeCall(policies.setPolicy, (POLICY, _ghostPolicies[POLICY].rules, 1, 1 days, ""))
            );
        }
        if (which == 7) {
            (target, call) =
            (
                address(evidence),
                abi.encodeCall(evidence.registerSuite, (keccak256("s"), keccak256("d"), new bytes32[](1), ""))
            );
        }
        if (which == 8) {
            (target, call) = (address(evidence), abi.encodeCall(evidence.admitEvaluator, (stranger, "")));
        }
        if (which == 9) {
            (target, call) = (address(evidence), abi.encodeCall(evidence.removeEvaluator, (evaluators[0])));
        }
        if (which == 10) {
            (target, call) = (address(evidence), abi.encodeCall(evidence.setGameParameters, (_game)));
        }
        if (which == 11) {
            (target, call) = (address(evidence), abi.encodeCall(evidence.setResolver, (stranger)));
        }
        if (which == 12) {
            (target, call) =
            (address(evidence), abi.encodeCall(evidence.resolveDispute, (_openDispute(modelSeed), true)));
        }
        vm.prank(stranger);
        (bool ok,) = target.call(call);
        if (ok) ++ghostUnauthorizedChanges;
    }

    // ------------------------------------------------------------ the references

    /// @dev The policy check written from the ghost state, independently of the contracts' storage.
    function referenceMeetsPolicy(bytes32 modelId, bytes32 policyId) public view returns (bool) {
        GhostPolicy storage ghostPolicy = _ghostPolicies[policyId];
        if (ghostPolicy.versions == 0) return false;
        for (uint256 r; r < ghostPolicy.rules.length; ++r) {
            PolicyRegistry.Rule memory rule = ghostPolicy.rules[r];
            uint256 metric = rule.metricId == METRIC_A ? 0 : 1;
            uint256 satisfied;
            for (uint256 e; e < 3; ++e) {
                GhostResult memory ghost = ghostResults[modelId][evaluators[e]];
                if (
                    !ghostAdmitted[evaluators[e]] || ghost.reportDigest == 0
                        || referenceStanding(modelId, evaluators[e]) != EvidenceRegistry.Standing.Counts
                ) continue;
                if (block.timestamp - ghost.submittedAt > ghostPolicy.maxAge) continue;
                uint256 value = ghost.values[metric];
                bool passes = rule.comparator == PolicyRegistry.Comparator.AtLeast
                    ? value >= rule.threshold
                    : value <= rule.threshold;
                if (passes) ++satisfied;
            }
            if (satisfied < ghostPolicy.minEvaluators) return false;
        }
        return true;
    }

    /// @dev The standing the rules give a live result now, in their order of precedence: struck, disputed,
    /// from an underbonded evaluator, inside its challenge window, counting.
    function referenceStanding(bytes32 modelId, address evaluator)
        public
        view
        returns (EvidenceRegistry.Standing)
    {
        GhostResult storage ghost = ghostResults[modelId][evaluator];
        if (ghostStruck[ghost.reportDigest]) return EvidenceRegistry.Standing.Struck;
        if (ghostOpenDisputes[ghost.reportDigest] != 0) return EvidenceRegistry.Standing.Disputed;
        if (ghostBond[evaluator] < _game.minBond) return EvidenceRegistry.Standing.Underbonded;
        if (block.timestamp < ghost.submittedAt + _game.challengePeriod) {
            return EvidenceRegistry.Standing.InWindow;
        }
        return EvidenceRegistry.Standing.Counts;
    }

    /// @dev The most recently approved version that is still approved, from the ghost's own record.
    function referenceCurrentVersion() public view returns (bytes32) {
        for (uint256 i = _ghostApprovalOrder.length; i != 0; --i) {
            bytes32 modelId = _ghostApprovalOrder[i - 1];
            if (ghostStatus[modelId] == ModelRegistry.Status.Approved) return modelId;
        }
        return 0;
    }

    function modelCount() external view returns (uint256) {
        return modelIds.length;
    }

    // ------------------------------------------------------------ internals

    function _model(uint256 seed) internal view returns (bytes32) {
        return modelIds[seed % modelIds.length];
    }

    /// @dev An approved version not yet suspended during its approval, or zero.
    function _suspendable(uint256 seed) internal view returns (bytes32) {
        uint256 count = modelIds.length;
        for (uint256 i; i < count; ++i) {
            bytes32 modelId = modelIds[(seed % count + i) % count];
            if (ghostStatus[modelId] == ModelRegistry.Status.Approved && !ghostSuspendedOnce[modelId]) {
                return modelId;
            }
        }
        return 0;
    }

    /// @dev Mostly a model in status `a` or `b` (so that actions reach the states they act on), sometimes
    /// any model (so that refusals are exercised too).
    function _modelIn(uint256 seed, ModelRegistry.Status a, ModelRegistry.Status b)
        internal
        view
        returns (bytes32)
    {
        if (seed % 5 != 0) {
            uint256 count = modelIds.length;
            for (uint256 i; i < count; ++i) {
                bytes32 modelId = modelIds[(seed % count + i) % count];
                if (ghostStatus[modelId] == a || ghostStatus[modelId] == b) return modelId;
            }
        }
        return _model(seed);
    }

    function _submit(bytes32 modelId, address evaluator, uint256 a, uint256 b) internal {
        uint256[] memory values = new uint256[](2);
        (values[0], values[1]) = (a, b);
        bytes32[] memory metrics = new bytes32[](2);
        (metrics[0], metrics[1]) = (METRIC_A, METRIC_B);
        bytes32 reportDigest = keccak256(abi.encode("report", ++_nonce));
        vm.prank(evaluator);
        try evidence.submitResult(
            EvidenceRegistry.Submission(
                modelId, SUITE, metrics, values, reportDigest, SampleTree.root(_nonce), ""
            )
        ) {
            ghostResults[modelId][evaluator] = GhostResult(block.timestamp, [a, b], reportDigest, _nonce);
        } catch {}
    }

    /// @dev Tops an admitted evaluator's bond up to the minimum, as it must for its results to count.
    function _bondUp(address evaluator) internal {
        if (ghostBond[evaluator] >= _game.minBond) return;
        uint256 amount = _game.minBond - ghostBond[evaluator];
        vm.deal(evaluator, evaluator.balance + amount);
        vm.prank(evaluator);
        evidence.bond{value: amount}();
        ghostBond[evaluator] += amount;
    }

    function _register(address caller, bytes32 parentId) internal {
        bytes32 digest = keccak256(abi.encode("model", ++_nonce));
        bool allowed = caller == ghostMaintainer || caller == timelock;
        vm.prank(caller);
        try models.register(FAMILY, vm.toString(_nonce), digest, "", parentId) {
            if (!allowed) ++ghostUnauthorizedRegistrations;
            modelIds.push(digest);
            ghostStatus[digest] = ModelRegistry.Status.Candidate;
        } catch {
            if (allowed) ++ghostTransitionMismatches;
        }
    }

    function _setPolicy(
        bytes32 policyId,
        uint256 thresholdA,
        uint256 thresholdB,
        bool bAtMost,
        uint256 minEvaluators,
        uint256 maxAge
    ) internal {
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
        // At most two of the three evaluators: with all three required, one dispute blocks every approval.
        uint8 required = uint8(bound(minEvaluators, 1, 2));
        uint48 age = uint48(bound(maxAge, 1 days, 20 days));
        vm.prank(timelock);
        policies.setPolicy(policyId, rules, required, age, "");
        GhostPolicy storage ghost = _ghostPolicies[policyId];
        delete ghost.rules;
        ghost.rules.push(rules[0]);
        ghost.rules.push(rules[1]);
        ghost.minEvaluators = required;
        ghost.maxAge = age;
        ++ghost.versions;
    }

    /// @dev Executes an approval as the timelock would, and checks the outcome against the rules: the
    /// family's policy, named at its active version, met by the evidence; the current version the proposal
    /// saw; inside the window; from a status that may be approved.
    function _tryApprove(Approval memory approval) internal {
        bytes32 modelId = approval.modelId;
        ModelRegistry.Status from = ghostStatus[modelId];
        bool allowed = (from == ModelRegistry.Status.Candidate || from == ModelRegistry.Status.Deprecated)
            && ghostFamilyPolicy != 0 && approval.policyId == ghostFamilyPolicy
            && approval.policyVersion == _ghostPolicies[approval.policyId].versions
            && approval.expectedCurrent == referenceCurrentVersion() && block.timestamp <= approval.expiresAt
            && block.timestamp + ghostApprovalWindow >= approval.expiresAt
            && referenceMeetsPolicy(modelId, approval.policyId);
        vm.prank(timelock);
        try models.approve(
            modelId, approval.policyId, approval.policyVersion, approval.expectedCurrent, approval.expiresAt
        ) {
            if (!allowed) ++ghostApprovedOutsideRules;
            ghostStatus[modelId] = ModelRegistry.Status.Approved;
            ghostSuspendedOnce[modelId] = false;
            _ghostApprovalOrder.push(modelId);
            ++ghostApprovals;
        } catch {
            if (allowed) ++ghostRefusedWithinRules;
        }
    }
}
