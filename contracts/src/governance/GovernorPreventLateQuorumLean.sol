// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @title GovernorPreventLateQuorumLean
 * @notice The behaviour of OpenZeppelin's {GovernorPreventLateQuorum} (same interface, events, errors,
 * deadlines and extensions) at a fraction of its gas.
 *
 * The stock module checks the quorum after every vote, which costs an external total-supply lookup and
 * a quorum-numerator lookup (~14,000 gas) on each vote before quorum. Yet a vote can only extend a
 * deadline if it reaches quorum within `lateQuorumVoteExtension()` of that deadline; a quorum reached
 * earlier records an extended deadline that never exceeds the scheduled one. So this module does the
 * quorum arithmetic only for votes cast inside that late window, and records only extensions that
 * take effect.
 *
 * Equivalence assumes a non-zero quorum (the stock module treats the first vote, even one of zero
 * weight, as reaching a zero quorum, which tallies cannot observe). {CharterGovernor} refuses a zero
 * quorum numerator, and its token has a fixed supply.
 */
abstract contract GovernorPreventLateQuorumLean is Governor {
    /// @dev One slot, read once per vote. `maxEver` is the largest extension ever configured: no vote
    /// can have extended a deadline that is further than `maxEver` away, which lets {proposalDeadline}
    /// skip the per-proposal slot while voting is still far from its end.
    struct Extension {
        uint48 current;
        uint48 maxEver;
    }

    Extension private _extension;
    mapping(uint256 proposalId => uint48) private _extendedDeadlines;

    /// @notice Emitted when a proposal's deadline is pushed back because quorum was reached late.
    event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline);
    /// @notice Emitted when the late-quorum vote extension is changed.
    event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension);

    error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension);

    constructor(uint48 initialVoteExtension) {
        _setLateQuorumVoteExtension(initialVoteExtension);
    }

    /// @notice The proposal's deadline, extended if it reached quorum late.
    function proposalDeadline(uint256 proposalId) public view virtual override returns (uint256) {
        uint256 deadline = super.proposalDeadline(proposalId);
        if (clock() + _extension.maxEver <= deadline) return deadline;
        return Math.max(deadline, _extendedDeadlines[proposalId]);
    }

    /// @notice Time that must remain for voting after a proposal reaches quorum.
    function lateQuorumVoteExtension() public view virtual returns (uint48) {
        return _extension.current;
    }

    /// @notice Changes the late-quorum vote extension. Only governance may call. Emits {LateQuorumVoteExtensionSet}.
    function setLateQuorumVoteExtension(uint48 newVoteExtension) public virtual onlyGovernance {
        _setLateQuorumVoteExtension(newVoteExtension);
    }

    /// @dev Upper bound of the extension: the voting period, as in the stock module.
    function _maxLateQuorumVoteExtension() internal view virtual returns (uint256) {
        return votingPeriod();
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal virtual {
        uint256 maxVoteExtension = _maxLateQuorumVoteExtension();
        if (newVoteExtension > maxVoteExtension) {
            revert GovernorPreventLateQuorumVoteExtensionTooLarge(newVoteExtension, maxVoteExtension);
        }
        Extension memory extension = _extension;
        emit LateQuorumVoteExtensionSet(extension.current, newVoteExtension);
        _extension = Extension({
            current: newVoteExtension, maxEver: uint48(Math.max(extension.maxEver, newVoteExtension))
        });
    }

    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal virtual override returns (uint256) {
        uint48 now_ = clock();
        uint48 extendedDeadline = now_ + _extension.current;
        // Outside the late window, or once extended, a vote cannot (further) extend the deadline. Before
        // the snapshot the quorum cannot be looked up; the base call rejects such a vote anyway.
        if (
            extendedDeadline <= super.proposalDeadline(proposalId) || _extendedDeadlines[proposalId] != 0
                || now_ <= proposalSnapshot(proposalId)
        ) {
            return super._castVote(proposalId, account, support, reason, params);
        }

        bool quorumReachedBefore = _quorumReached(proposalId);
        uint256 votedWeight = super._castVote(proposalId, account, support, reason, params);
        if (!quorumReachedBefore && _quorumReached(proposalId)) {
            emit ProposalExtended(proposalId, extendedDeadline);
            _extendedDeadlines[proposalId] = extendedDeadline;
        }
        return votedWeight;
    }
}
