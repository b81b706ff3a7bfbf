// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {
    GovernorCountingSimple
} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {
    GovernorProposalGuardian
} from "@openzeppelin/contracts/governance/extensions/GovernorProposalGuardian.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {
    GovernorTimelockControl,
    TimelockController
} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes, IVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {
    GovernorVotesQuorumFraction
} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";

import {GovernorPreventLateQuorumLean} from "./governance/GovernorPreventLateQuorumLean.sol";

/**
 * @title CharterGovernor
 * @notice The DAO's governor, composed from OpenZeppelin modules so that Tally and other Governor tooling
 * read it unchanged. Proposals execute through a {TimelockController}; a proposal that reaches quorum late
 * gets extra voting time ({GovernorPreventLateQuorumLean}, the stock module's behaviour at a fraction of its
 * gas).
 *
 * The proposal guardian (the security council, optional) may cancel any proposal, within limits that keep it
 * from becoming a permanent veto: its power ends at `guardianTermEnd` unless governance renews the term, and it
 * cannot cancel a proposal that changes the guardian or its term. Such a proposal must consist of guardian
 * changes only, so that nothing else can shelter from the guardian inside it. Without a guardian (none set,
 * or its term over) OpenZeppelin's rule applies: a proposer may cancel its own proposal at any stage.
 */
contract CharterGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorPreventLateQuorumLean,
    GovernorProposalGuardian
{
    /// @notice Governance parameters, in seconds and token units.
    struct Config {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumNumerator;
        uint48 lateQuorumVoteExtension;
        address proposalGuardian;
        uint48 guardianTermEnd;
    }

    /// @dev When the guardian's power ends (seconds since the epoch); zero before any term was set.
    uint48 private _guardianTermEnd;

    /// @notice Emitted when the guardian's term changes, and at construction.
    event GuardianTermSet(uint48 oldTermEnd, uint48 newTermEnd);

    error CharterGovernorTokenClockNotTimestamp(string clockMode);
    error CharterGovernorZeroQuorum();
    /// @dev A proposal that changes the guardian or its term contains another kind of action.
    error CharterGovernorGuardianChangeNotAlone(uint256 actionIndex);
    /// @dev The guardian tried to cancel a proposal that changes the guardian or its term.
    error CharterGovernorGuardianCannotCancel(uint256 proposalId);

    constructor(IVotes token_, TimelockController timelock_, Config memory config)
        Governor("Charter Governor")
        GovernorSettings(config.votingDelay, config.votingPeriod, config.proposalThreshold)
        GovernorVotes(token_)
        GovernorVotesQuorumFraction(config.quorumNumerator)
        GovernorTimelockControl(timelock_)
        GovernorPreventLateQuorumLean(config.lateQuorumVoteExtension)
    {
        string memory mode = IERC6372(address(token_)).CLOCK_MODE();
        if (keccak256(bytes(mode)) != keccak256("mode=timestamp")) {
            revert CharterGovernorTokenClockNotTimestamp(mode);
        }
        _setProposalGuardian(config.proposalGuardian);
        _setGuardianTerm(config.guardianTermEnd);
    }

    // ---------------------------------------------------------------- the guardian

    /// @notice The proposal guardian while its term lasts; zero once `block.timestamp >= guardianTermEnd`.
    function proposalGuardian() public view override returns (address) {
        return block.timestamp < _guardianTermEnd ? super.proposalGuardian() : address(0);
    }

    /// @notice When the guardian's power ends (seconds since the epoch).
    function guardianTermEnd() external view returns (uint48) {
        return _guardianTermEnd;
    }

    /// @notice Sets when the guardian's power ends; a past time ends it now. Only governance may call.
    /// Emits {GuardianTermSet}.
    function setGuardianTerm(uint48 termEnd) external onlyGovernance {
        _setGuardianTerm(termEnd);
    }

    /**
     * @notice Creates a proposal, as {IGovernor-propose}. A proposal that calls this governor's
     * `setProposalGuardian` or `setGuardianTerm` may contain nothing else: the guardian cannot cancel it, so
     * any other action would be sheltered from the guardian too.
     */
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public override returns (uint256) {
        uint256 guardianChanges;
        uint256 firstGuardianChange;
        for (uint256 i; i < targets.length; ++i) {
            if (_changesGuardian(targets[i], calldatas[i]) && guardianChanges++ == 0) {
                firstGuardianChange = i;
            }
        }
        if (guardianChanges != 0 && guardianChanges != targets.length) {
            revert CharterGovernorGuardianChangeNotAlone(firstGuardianChange);
        }
        return super.propose(targets, values, calldatas, description);
    }

    /**
     * @notice Cancels a proposal, as {IGovernor-cancel}, except that the guardian cannot cancel a proposal that
     * changes the guardian or its term (unless the guardian proposed it).
     */
    function cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public override returns (uint256) {
        address caller = _msgSender();
        if (caller == proposalGuardian()) {
            uint256 proposalId = getProposalId(targets, values, calldatas, descriptionHash);
            if (caller != proposalProposer(proposalId)) {
                for (uint256 i; i < targets.length; ++i) {
                    if (_changesGuardian(targets[i], calldatas[i])) {
                        revert CharterGovernorGuardianCannotCancel(proposalId);
                    }
                }
            }
        }
        return super.cancel(targets, values, calldatas, descriptionHash);
    }

    /// @notice The current timepoint: the block timestamp, the token's clock (checked at construction).
    /// @dev Read locally rather than through a call to the token: every vote consults the clock.
    function clock() public view override(Governor, GovernorVotes) returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice Describes the clock: `mode=timestamp`.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(Governor, GovernorVotes) returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice The state of a proposal, including the timelock's queued and executed states.
    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    /// @notice The voting deadline, extended when quorum was reached late.
    function proposalDeadline(uint256 proposalId)
        public
        view
        override(Governor, GovernorPreventLateQuorumLean)
        returns (uint256)
    {
        return super.proposalDeadline(proposalId);
    }

    /// @notice Every proposal goes through the timelock.
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @notice Votes an account needs to create a proposal.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function _setGuardianTerm(uint48 termEnd) private {
        emit GuardianTermSet(_guardianTermEnd, termEnd);
        _guardianTermEnd = termEnd;
    }

    /// @dev Whether an action calls this governor's `setProposalGuardian` or `setGuardianTerm`.
    function _changesGuardian(address target, bytes memory data) private view returns (bool) {
        if (target != address(this) || data.length < 4) return false;
        // forge-lint: disable-next-line(unsafe-typecast) the selector is the first four bytes by definition
        bytes4 selector = bytes4(data);
        return selector == this.setProposalGuardian.selector || selector == this.setGuardianTerm.selector;
    }

    /// @dev A zero quorum would let a single vote of any weight decide; refused.
    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator == 0) revert CharterGovernorZeroQuorum();
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal override(Governor, GovernorPreventLateQuorumLean) returns (uint256) {
        return super._castVote(proposalId, account, support, reason, params);
    }

    function _validateCancel(uint256 proposalId, address caller)
        internal
        view
        override(Governor, GovernorProposalGuardian)
        returns (bool)
    {
        return super._validateCancel(proposalId, caller);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
