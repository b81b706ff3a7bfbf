// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governed} from "./Governed.sol";
import {PolicyRegistry} from "./PolicyRegistry.sol";
import {IProposalGuardian} from "./interfaces/IProposalGuardian.sol";

/**
 * @title ModelRegistry
 * @notice The governed registry of AI model versions. A model family is maintained by its first registrant
 * (or whoever governance names); only its maintainer or governance registers versions in it, each
 * identified by its artifact digest. Governance binds each family to the policy that governs it, and
 * approves a version only under that policy, at the policy version the proposal was voted under, against
 * the family's current version at proposal time, and inside an approval window. The guardian (the
 * security council) may suspend an approved version at once, for a bounded time.
 *
 * Statuses (Revoked is final): Candidate→Approved (approve); Deprecated→Approved (approve);
 * Approved→Deprecated (deprecate); Approved→Suspended (suspend); Suspended→Approved (lift or lapse);
 * Suspended→Deprecated (deprecate); Candidate|Approved|Deprecated|Suspended→Revoked (revoke).
 *
 * "Approved" and "current": {isApproved} is true exactly for status Approved, and several versions of a
 * family may be approved at once. A family's current version is its most recently approved version that
 * is still approved, or zero; it follows from an approval history that grows by one entry per approval.
 */
contract ModelRegistry is Governed {
    enum Status {
        Unknown,
        Candidate,
        Approved,
        Deprecated,
        Revoked,
        Suspended
    }

    /// @notice A registered version, as {model} returns it.
    struct Model {
        bytes32 familyId;
        bytes32 parentId;
        address registrant;
        uint48 registeredAt;
        Status status;
    }

    /// @notice A family: the policy that governs its approvals, its maintainer, its current version.
    struct Family {
        bytes32 policyId;
        address maintainer;
        bytes32 currentVersion;
    }

    /// @dev Three slots. `suspendedUntil` stays set after a suspension ends, so that a version is suspended
    /// at most once per approval; approving clears it. It shares a slot with the status, which every
    /// transition writes anyway.
    struct StoredModel {
        bytes32 familyId;
        bytes32 parentId;
        address registrant;
        uint40 registeredAt;
        Status status;
        uint48 suspendedUntil;
    }

    /// @dev Two slots; the history length shares the maintainer's slot, which registration makes non-zero,
    /// so an approval pays no fresh slot for it.
    struct StoredFamily {
        bytes32 policyId;
        address maintainer;
        uint96 historyLength;
    }

    /// @notice The policies that gate approval.
    PolicyRegistry public immutable policies;
    /// @notice The governor, asked who the guardian is now (zero when none or its term has ended).
    IProposalGuardian public immutable governor;

    mapping(bytes32 modelId => StoredModel) private _models;
    mapping(bytes32 familyId => mapping(bytes32 versionHash => bool)) private _versionTaken;
    mapping(bytes32 familyId => StoredFamily) private _families;
    /// @dev Versions in the order they were approved. Entries that are neither approved nor suspended are
    /// popped off the tail whenever a status changes, so the walk to the current version is bounded by
    /// governance actions.
    mapping(bytes32 familyId => mapping(uint256 index => bytes32 modelId)) private _history;
    uint48 private _approvalWindow;
    uint48 private _maxSuspension;

    /// @notice Emitted when a candidate version is registered. `modelId` is the artifact digest and
    /// `familyId` the keccak256 of the family name.
    event ModelRegistered(
        bytes32 indexed modelId,
        bytes32 indexed familyId,
        string family,
        string version,
        string uri,
        bytes32 parentId,
        address indexed registrant
    );
    /// @notice Emitted when governance approves a version under version `policyVersion` of `policyId`.
    event ModelApproved(bytes32 indexed modelId, bytes32 indexed policyId, uint256 policyVersion);
    /// @notice Emitted when governance deprecates an approved or suspended version.
    event ModelDeprecated(bytes32 indexed modelId);
    /// @notice Emitted when governance revokes a version, for good.
    event ModelRevoked(bytes32 indexed modelId, string reason);
    /// @notice Emitted when the guardian suspends an approved version until `until` at the latest.
    event ModelSuspended(bytes32 indexed modelId, uint48 until, string reason);
    /// @notice Emitted when a suspension ends and the version is approved again: lifted, or `lapsed`.
    event SuspensionEnded(bytes32 indexed modelId, bool lapsed);
    /// @notice Emitted when a family's current approved version changes (zero: none).
    event CurrentVersionSet(bytes32 indexed familyId, bytes32 oldModelId, bytes32 newModelId);
    /// @notice Emitted when governance binds a family to the policy that governs its approvals.
    event FamilyPolicySet(bytes32 indexed familyId, string family, bytes32 oldPolicyId, bytes32 newPolicyId);
    /// @notice Emitted when a family's maintainer changes, including at the family's first registration.
    event MaintainerSet(bytes32 indexed familyId, address oldMaintainer, address newMaintainer);
    /// @notice Emitted when governance changes how long before its expiry an approval may execute.
    event ApprovalWindowSet(uint48 oldWindow, uint48 newWindow);
    /// @notice Emitted when governance changes the longest a suspension lasts.
    event MaxSuspensionSet(uint48 oldDuration, uint48 newDuration);

    error ModelRegistryInvalidModel(bytes32 modelId);
    error ModelRegistryDigestTaken(bytes32 modelId);
    error ModelRegistryVersionTaken(string family, string version);
    error ModelRegistryUnknownModel(bytes32 modelId);
    error ModelRegistryParentFamilyMismatch(bytes32 parentId, bytes32 familyId);
    error ModelRegistryInvalidTransition(bytes32 modelId, Status from, Status to);
    error ModelRegistryNotMaintainer(bytes32 familyId, address caller);
    error ModelRegistryNoFamilyPolicy(bytes32 familyId);
    error ModelRegistryPolicyMismatch(bytes32 familyId, bytes32 governing, bytes32 named);
    error ModelRegistryPolicyVersionChanged(bytes32 policyId, uint256 voted, uint256 active);
    error ModelRegistryCurrentVersionChanged(bytes32 familyId, bytes32 expected, bytes32 actual);
    error ModelRegistryApprovalOutsideWindow(uint48 opensAt, uint48 expiresAt);
    error ModelRegistryNotGuardian(address caller);
    error ModelRegistrySuspendedOnce(bytes32 modelId);
    error ModelRegistrySuspensionNotLapsed(bytes32 modelId, uint48 until);
    error ModelRegistryInvalidDuration(uint48 duration);

    constructor(
        address governance_,
        PolicyRegistry policies_,
        IProposalGuardian governor_,
        uint48 approvalWindow_,
        uint48 maxSuspension_
    ) Governed(governance_) {
        if (address(policies_) == address(0) || address(governor_) == address(0)) {
            revert GovernedZeroAddress();
        }
        policies = policies_;
        governor = governor_;
        _setApprovalWindow(approvalWindow_);
        _setMaxSuspension(maxSuspension_);
    }

    // ------------------------------------------------------------ registration and families

    /**
     * @notice Registers a candidate version. The first registrant of a family becomes its maintainer; later
     * versions only by the maintainer or governance.
     * @param familyName Model family name, e.g. "mail-guard".
     * @param version Version label, unique within the family, e.g. "v2".
     * @param digest The artifact digest, which becomes the model id; refused if already registered.
     * @param uri Where the artifact can be fetched.
     * @param parentId The version this one derives from, a registered version of the same family; zero for none.
     * Emits {MaintainerSet} for a new family, then {ModelRegistered}.
     */
    function register(
        string calldata familyName,
        string calldata version,
        bytes32 digest,
        string calldata uri,
        bytes32 parentId
    ) external returns (bytes32 modelId) {
        if (digest == 0 || bytes(familyName).length == 0 || bytes(version).length == 0) {
            revert ModelRegistryInvalidModel(digest);
        }
        if (_models[digest].status != Status.Unknown) revert ModelRegistryDigestTaken(digest);
        bytes32 familyId = keccak256(bytes(familyName));
        address maintainer = _families[familyId].maintainer;
        if (maintainer == address(0)) {
            _setMaintainer(familyId, msg.sender);
        } else if (msg.sender != maintainer && msg.sender != governance) {
            revert ModelRegistryNotMaintainer(familyId, msg.sender);
        }
        bytes32 versionHash = keccak256(bytes(version));
        if (_versionTaken[familyId][versionHash]) revert ModelRegistryVersionTaken(familyName, version);
        if (parentId != 0) {
            bytes32 parentFamily = _models[parentId].familyId;
            if (parentFamily == 0) revert ModelRegistryUnknownModel(parentId);
            if (parentFamily != familyId) revert ModelRegistryParentFamilyMismatch(parentId, familyId);
        }

        emit ModelRegistered(digest, familyId, familyName, version, uri, parentId, msg.sender);
        _versionTaken[familyId][versionHash] = true;
        _models[digest] =
            StoredModel(familyId, parentId, msg.sender, uint40(block.timestamp), Status.Candidate, 0);
        return digest;
    }

    /// @notice Binds a family (by name) to the policy that governs its approvals; the policy must have been
    /// set. Only governance may call, also before the family's first registration. Emits {FamilyPolicySet}.
    function setFamilyPolicy(string calldata familyName, bytes32 policyId) external onlyGovernance {
        if (policies.currentVersion(policyId) == 0) {
            revert PolicyRegistry.PolicyRegistryUnknownPolicy(policyId);
        }
        bytes32 familyId = keccak256(bytes(familyName));
        StoredFamily storage stored = _families[familyId];
        emit FamilyPolicySet(familyId, familyName, stored.policyId, policyId);
        stored.policyId = policyId;
    }

    /// @notice Transfers a family's maintainership. Governance or the current maintainer may call; governance
    /// may also name the maintainer of a family nobody has registered yet. Emits {MaintainerSet}.
    function setMaintainer(string calldata familyName, address maintainer) external {
        bytes32 familyId = keccak256(bytes(familyName));
        if (msg.sender != governance && msg.sender != _families[familyId].maintainer) {
            revert ModelRegistryNotMaintainer(familyId, msg.sender);
        }
        // A family without a maintainer is open to its next registrant: never reopen one.
        if (maintainer == address(0)) revert GovernedZeroAddress();
        _setMaintainer(familyId, maintainer);
    }

    // ------------------------------------------------------------ governance transitions

    /**
     * @notice Approves a candidate or deprecated version and makes it its family's current version. Only
     * governance may call, and only while `expiresAt - approvalWindow <= now <= expiresAt`. `policyId` must
     * be the family's policy, `policyVersion` its active version and `expectedCurrent` the family's current
     * version (all as the proposal was voted); otherwise it reverts naming both values. Reverts with the
     * policy's error for the first failing rule unless the evidence meets the policy.
     * Emits {ModelApproved} and {CurrentVersionSet}.
     */
    function approve(
        bytes32 modelId,
        bytes32 policyId,
        uint256 policyVersion,
        bytes32 expectedCurrent,
        uint48 expiresAt
    ) external onlyGovernance {
        _requireInsideWindow(expiresAt);
        StoredModel storage entry = _models[modelId];
        Status from = entry.status;
        if (from != Status.Candidate && from != Status.Deprecated) {
            revert ModelRegistryInvalidTransition(modelId, from, Status.Approved);
        }
        bytes32 familyId = entry.familyId;
        StoredFamily storage fam = _families[familyId];
        _requireVotedPolicy(familyId, fam.policyId, policyId, policyVersion);
        uint96 length = fam.historyLength;
        bytes32 current = _currentOf(familyId, length);
        if (current != expectedCurrent) {
            revert ModelRegistryCurrentVersionChanged(familyId, expectedCurrent, current);
        }
        policies.requirePolicy(modelId, policyId);

        entry.status = Status.Approved;
        entry.suspendedUntil = 0;
        _history[familyId][length] = modelId;
        fam.historyLength = length + 1;
        emit ModelApproved(modelId, policyId, policyVersion);
        emit CurrentVersionSet(familyId, current, modelId);
    }

    /// @notice Deprecates an approved or suspended version; it stops being approved. Only governance may call.
    /// Emits {ModelDeprecated}, and {CurrentVersionSet} if the family's current version changes.
    function deprecate(bytes32 modelId) external onlyGovernance {
        Status from = _models[modelId].status;
        if (from != Status.Approved && from != Status.Suspended) {
            revert ModelRegistryInvalidTransition(modelId, from, Status.Deprecated);
        }
        emit ModelDeprecated(modelId);
        _setStatus(modelId, Status.Deprecated);
    }

    /// @notice Revokes a version for good, with the reason. Only governance may call.
    /// Emits {ModelRevoked}, and {CurrentVersionSet} if the family's current version changes.
    function revoke(bytes32 modelId, string calldata reason) external onlyGovernance {
        Status from = _models[modelId].status;
        if (from == Status.Unknown || from == Status.Revoked) {
            revert ModelRegistryInvalidTransition(modelId, from, Status.Revoked);
        }
        emit ModelRevoked(modelId, reason);
        _setStatus(modelId, Status.Revoked);
    }

    // ------------------------------------------------------------ emergency suspension

    /**
     * @notice Suspends an approved version at once, for at most {maxSuspension}: it stops being approved and
     * its family's current version falls back to the previous approved one, or none. Only the guardian
     * (the governor's {IProposalGuardian-proposalGuardian}, while its term lasts) may call, once per approval.
     * Emits {ModelSuspended}, and {CurrentVersionSet} if it was its family's current version.
     */
    function suspend(bytes32 modelId, string calldata reason) external {
        if (!_isGuardian(msg.sender)) revert ModelRegistryNotGuardian(msg.sender);
        StoredModel storage entry = _models[modelId];
        if (entry.status != Status.Approved) {
            revert ModelRegistryInvalidTransition(modelId, entry.status, Status.Suspended);
        }
        if (entry.suspendedUntil != 0) revert ModelRegistrySuspendedOnce(modelId);
        // Saturates rather than overflows, so that no duration governance sets can disable the brake.
        uint256 end = block.timestamp + _maxSuspension;
        // forge-lint: disable-next-line(unsafe-typecast) bounded by the comparison
        uint48 until = end > type(uint48).max ? type(uint48).max : uint48(end);
        entry.suspendedUntil = until;
        emit ModelSuspended(modelId, until, reason);
        _setStatus(modelId, Status.Suspended);
    }

    /// @notice Ends a suspension early; the version is approved again. Governance or the guardian may call.
    /// Emits {SuspensionEnded} (not lapsed), and {CurrentVersionSet} if it becomes current again.
    function liftSuspension(bytes32 modelId) external {
        if (msg.sender != governance && !_isGuardian(msg.sender)) {
            revert ModelRegistryNotGuardian(msg.sender);
        }
        _endSuspension(modelId, false);
    }

    /// @notice Ends a suspension whose time is up; the version is approved again. Anyone may call.
    /// Emits {SuspensionEnded} (lapsed), and {CurrentVersionSet} if it becomes current again.
    function endLapsedSuspension(bytes32 modelId) external {
        uint48 until = _models[modelId].suspendedUntil;
        if (_models[modelId].status == Status.Suspended && block.timestamp < until) {
            revert ModelRegistrySuspensionNotLapsed(modelId, until);
        }
        _endSuspension(modelId, true);
    }

    // ------------------------------------------------------------ parameters

    /// @notice Sets how long before its expiry an approval may execute; non-zero. Only governance may call.
    /// Emits {ApprovalWindowSet}.
    function setApprovalWindow(uint48 window) external onlyGovernance {
        _setApprovalWindow(window);
    }

    /// @notice Sets the longest a suspension lasts; non-zero. Only governance may call. Emits {MaxSuspensionSet}.
    function setMaxSuspension(uint48 duration) external onlyGovernance {
        _setMaxSuspension(duration);
    }

    // ------------------------------------------------------------ views

    /// @notice Whether the artifact with this digest is an approved version (status Approved).
    function isApproved(bytes32 digest) external view returns (bool) {
        return _models[digest].status == Status.Approved;
    }

    /// @notice The status of the artifact with this digest; `Unknown` if it was never registered.
    function statusOf(bytes32 digest) external view returns (Status) {
        return _models[digest].status;
    }

    /// @notice A registered version; reverts if unknown.
    function model(bytes32 modelId) external view returns (Model memory) {
        StoredModel storage found = _models[modelId];
        if (found.status == Status.Unknown) revert ModelRegistryUnknownModel(modelId);
        return Model(found.familyId, found.parentId, found.registrant, found.registeredAt, found.status);
    }

    /// @notice A family by id (keccak256 of its name): its policy, maintainer and current version; zeros if
    /// nothing was set.
    function family(bytes32 familyId) external view returns (Family memory) {
        StoredFamily storage stored = _families[familyId];
        return Family(stored.policyId, stored.maintainer, _currentOf(familyId, stored.historyLength));
    }

    /// @notice The current approved version of a family (by name); zero if none.
    function currentVersion(string calldata familyName) external view returns (bytes32) {
        bytes32 familyId = keccak256(bytes(familyName));
        return _currentOf(familyId, _families[familyId].historyLength);
    }

    /// @notice The family's approval history, oldest first, that decides its current version: the most recent
    /// entry that is still approved. Entries neither approved nor suspended are dropped off its end.
    function approvalHistory(bytes32 familyId) external view returns (bytes32[] memory history) {
        history = new bytes32[](_families[familyId].historyLength);
        for (uint256 i; i < history.length; ++i) {
            history[i] = _history[familyId][i];
        }
    }

    /// @notice When the version's suspension lapses; zero when it is not suspended.
    function suspendedUntil(bytes32 modelId) external view returns (uint48) {
        StoredModel storage entry = _models[modelId];
        return entry.status == Status.Suspended ? entry.suspendedUntil : 0;
    }

    /// @notice How long before its expiry an approval may execute.
    function approvalWindow() external view returns (uint48) {
        return _approvalWindow;
    }

    /// @notice The longest a suspension lasts before anyone may end it.
    function maxSuspension() external view returns (uint48) {
        return _maxSuspension;
    }

    // ------------------------------------------------------------ internals

    function _requireInsideWindow(uint48 expiresAt) private view {
        uint48 window = _approvalWindow;
        if (block.timestamp > expiresAt || block.timestamp + window < expiresAt) {
            revert ModelRegistryApprovalOutsideWindow(expiresAt > window ? expiresAt - window : 0, expiresAt);
        }
    }

    /// @dev The proposal named the policy that governs the family, at the version active now.
    function _requireVotedPolicy(bytes32 familyId, bytes32 governing, bytes32 policyId, uint256 policyVersion)
        private
        view
    {
        if (governing == 0) revert ModelRegistryNoFamilyPolicy(familyId);
        if (governing != policyId) revert ModelRegistryPolicyMismatch(familyId, governing, policyId);
        uint256 active = policies.currentVersion(policyId);
        if (active != policyVersion) {
            revert ModelRegistryPolicyVersionChanged(policyId, policyVersion, active);
        }
    }

    function _isGuardian(address caller) private view returns (bool) {
        address guardian = governor.proposalGuardian();
        return guardian != address(0) && caller == guardian;
    }

    function _endSuspension(bytes32 modelId, bool lapsed) private {
        Status from = _models[modelId].status;
        if (from != Status.Suspended) revert ModelRegistryInvalidTransition(modelId, from, Status.Approved);
        emit SuspensionEnded(modelId, lapsed);
        _setStatus(modelId, Status.Approved);
    }

    /// @dev Every transition but approval: writes the status, drops history entries that are neither
    /// approved nor suspended off the tail, and reports a change of the family's current version.
    function _setStatus(bytes32 modelId, Status to) private {
        StoredModel storage entry = _models[modelId];
        bytes32 familyId = entry.familyId;
        StoredFamily storage fam = _families[familyId];
        uint96 length = fam.historyLength;
        bytes32 before = _currentOf(familyId, length);
        entry.status = to;
        uint96 kept = length;
        while (kept != 0) {
            Status tail = _models[_history[familyId][kept - 1]].status;
            if (tail == Status.Approved || tail == Status.Suspended) break;
            delete _history[familyId][--kept];
        }
        if (kept != length) fam.historyLength = kept;
        bytes32 after_ = _currentOf(familyId, kept);
        if (after_ != before) emit CurrentVersionSet(familyId, before, after_);
    }

    /// @dev The most recent entry of the family's history that is approved, or zero.
    function _currentOf(bytes32 familyId, uint256 length) private view returns (bytes32) {
        for (uint256 i = length; i != 0; --i) {
            bytes32 modelId = _history[familyId][i - 1];
            if (_models[modelId].status == Status.Approved) return modelId;
        }
        return 0;
    }

    function _setMaintainer(bytes32 familyId, address maintainer) private {
        StoredFamily storage stored = _families[familyId];
        emit MaintainerSet(familyId, stored.maintainer, maintainer);
        stored.maintainer = maintainer;
    }

    function _setApprovalWindow(uint48 window) private {
        if (window == 0) revert ModelRegistryInvalidDuration(window);
        emit ApprovalWindowSet(_approvalWindow, window);
        _approvalWindow = window;
    }

    function _setMaxSuspension(uint48 duration) private {
        if (duration == 0) revert ModelRegistryInvalidDuration(duration);
        emit MaxSuspensionSet(_maxSuspension, duration);
        _maxSuspension = duration;
    }
}
