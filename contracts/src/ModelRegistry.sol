// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governed} from "./Governed.sol";
import {PolicyRegistry} from "./PolicyRegistry.sol";

/**
 * @title ModelRegistry
 * @notice The governed registry of AI model versions. Anyone registers a candidate version of a model family,
 * identified by its artifact digest; only governance changes a status. Approval is gated by a safety
 * policy: {approve} reverts with the failing rule's error unless the evidence meets the policy. Each
 * family keeps its current approved version, like a registry alias, and anyone can ask whether an
 * artifact is approved with {isApproved}.
 *
 * Statuses: a candidate may be approved or revoked; an approved version deprecated or revoked; a
 * deprecated one approved again or revoked. Revocation is final.
 */
contract ModelRegistry is Governed {
    enum Status {
        Unknown,
        Candidate,
        Approved,
        Deprecated,
        Revoked
    }

    struct Model {
        bytes32 familyId;
        bytes32 parentId;
        address registrant;
        uint48 registeredAt;
        Status status;
    }

    /// @notice The policies that gate approval.
    PolicyRegistry public immutable policies;

    mapping(bytes32 modelId => Model) private _models;
    mapping(bytes32 familyId => mapping(bytes32 versionHash => bool)) private _versionTaken;
    mapping(bytes32 familyId => bytes32 modelId) private _currentVersion;

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
    /// @notice Emitted when governance deprecates an approved version.
    event ModelDeprecated(bytes32 indexed modelId);
    /// @notice Emitted when governance revokes a version, for good.
    event ModelRevoked(bytes32 indexed modelId, string reason);
    /// @notice Emitted when a family's current approved version changes (zero: none).
    event CurrentVersionSet(bytes32 indexed familyId, bytes32 oldModelId, bytes32 newModelId);

    error ModelRegistryInvalidModel(bytes32 modelId);
    error ModelRegistryDigestTaken(bytes32 modelId);
    error ModelRegistryVersionTaken(string family, string version);
    error ModelRegistryUnknownModel(bytes32 modelId);
    error ModelRegistryParentFamilyMismatch(bytes32 parentId, bytes32 familyId);
    error ModelRegistryInvalidTransition(bytes32 modelId, Status from, Status to);

    constructor(address governance_, PolicyRegistry policies_) Governed(governance_) {
        policies = policies_;
    }

    /**
     * @notice Registers a candidate version. Anyone may call.
     * @param family Model family name, e.g. "mail-guard".
     * @param version Version label, unique within the family, e.g. "v2".
     * @param digest The artifact digest, which becomes the model id; refused if already registered.
     * @param uri Where the artifact can be fetched.
     * @param parentId The version this one derives from, in the same family; zero for none.
     * Emits {ModelRegistered}.
     */
    function register(
        string calldata family,
        string calldata version,
        bytes32 digest,
        string calldata uri,
        bytes32 parentId
    ) external returns (bytes32 modelId) {
        if (digest == 0 || bytes(family).length == 0 || bytes(version).length == 0) {
            revert ModelRegistryInvalidModel(digest);
        }
        if (_models[digest].status != Status.Unknown) revert ModelRegistryDigestTaken(digest);
        bytes32 familyId = keccak256(bytes(family));
        bytes32 versionHash = keccak256(bytes(version));
        if (_versionTaken[familyId][versionHash]) revert ModelRegistryVersionTaken(family, version);
        if (parentId != 0) {
            bytes32 parentFamily = _models[parentId].familyId;
            if (parentFamily == 0) revert ModelRegistryUnknownModel(parentId);
            if (parentFamily != familyId) revert ModelRegistryParentFamilyMismatch(parentId, familyId);
        }

        emit ModelRegistered(digest, familyId, family, version, uri, parentId, msg.sender);
        _versionTaken[familyId][versionHash] = true;
        _models[digest] = Model(familyId, parentId, msg.sender, uint48(block.timestamp), Status.Candidate);
        return digest;
    }

    /**
     * @notice Approves a candidate or deprecated version and makes it its family's current version.
     * Only governance may call. Reverts with the policy's error for the first failing rule unless the
     * evidence meets the active version of `policyId`. Emits {ModelApproved} and {CurrentVersionSet}.
     */
    function approve(bytes32 modelId, bytes32 policyId) external onlyGovernance {
        Model storage entry = _transition(modelId, Status.Approved);
        uint256 policyVersion = policies.requirePolicy(modelId, policyId);
        emit ModelApproved(modelId, policyId, policyVersion);
        _setCurrentVersion(entry.familyId, modelId);
    }

    /// @notice Deprecates an approved version; it stops being approved. Only governance may call.
    /// Emits {ModelDeprecated}, and {CurrentVersionSet} if it was its family's current version.
    function deprecate(bytes32 modelId) external onlyGovernance {
        Model storage entry = _transition(modelId, Status.Deprecated);
        emit ModelDeprecated(modelId);
        _clearIfCurrent(entry.familyId, modelId);
    }

    /// @notice Revokes a version for good, with the reason. Only governance may call.
    /// Emits {ModelRevoked}, and {CurrentVersionSet} if it was its family's current version.
    function revoke(bytes32 modelId, string calldata reason) external onlyGovernance {
        Model storage entry = _transition(modelId, Status.Revoked);
        emit ModelRevoked(modelId, reason);
        _clearIfCurrent(entry.familyId, modelId);
    }

    /// @notice Whether the artifact with this digest is an approved version.
    function isApproved(bytes32 digest) external view returns (bool) {
        return _models[digest].status == Status.Approved;
    }

    /// @notice The status of the artifact with this digest; `Unknown` if it was never registered.
    function statusOf(bytes32 digest) external view returns (Status) {
        return _models[digest].status;
    }

    /// @notice A registered version; reverts if unknown.
    function model(bytes32 modelId) external view returns (Model memory) {
        Model memory found = _models[modelId];
        if (found.status == Status.Unknown) revert ModelRegistryUnknownModel(modelId);
        return found;
    }

    /// @notice The current approved version of a family (by name); zero if none.
    function currentVersion(string calldata family) external view returns (bytes32) {
        return _currentVersion[keccak256(bytes(family))];
    }

    function _transition(bytes32 modelId, Status to) private returns (Model storage entry) {
        entry = _models[modelId];
        Status from = entry.status;
        bool allowed = to == Status.Approved
            ? from == Status.Candidate || from == Status.Deprecated
            : to == Status.Deprecated
                ? from == Status.Approved
                : from != Status.Unknown && from != Status.Revoked;
        if (!allowed) revert ModelRegistryInvalidTransition(modelId, from, to);
        entry.status = to;
    }

    function _clearIfCurrent(bytes32 familyId, bytes32 modelId) private {
        if (_currentVersion[familyId] == modelId) _setCurrentVersion(familyId, 0);
    }

    function _setCurrentVersion(bytes32 familyId, bytes32 modelId) private {
        emit CurrentVersionSet(familyId, _currentVersion[familyId], modelId);
        _currentVersion[familyId] = modelId;
    }
}
