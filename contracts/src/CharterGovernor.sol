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
 * read it unchanged. Proposals execute through a {TimelockController}; a proposal guardian (the security
 * council) may cancel any proposal; a proposal that reaches quorum late gets extra voting time
 * ({GovernorPreventLateQuorumLean}, the stock module's behaviour at a fraction of its gas).
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
    }

    error CharterGovernorTokenClockNotTimestamp(string clockMode);
    error CharterGovernorZeroQuorum();

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
