// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {
    GovernorVotesQuorumFraction
} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {CharterGovernor} from "../contracts/src/CharterGovernor.sol";
import {CharterFixture} from "./utils/CharterFixture.sol";

/// @dev An ERC20Votes token on the default block-number clock, which the governor must refuse.
contract BlockClockToken is ERC20, ERC20Permit, ERC20Votes {
    constructor() ERC20("Block", "BLK") ERC20Permit("Block") {}

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}

contract CharterGovernorTest is CharterFixture {
    function setUp() public {
        _deploySystem();
    }

    function _config(uint256 quorumNumerator) internal view returns (CharterGovernor.Config memory) {
        return
            CharterGovernor.Config(VOTING_DELAY, VOTING_PERIOD, 1_000e18, quorumNumerator, 1 days, guardian);
    }

    function test_constructor_setsParameters() public view {
        assertEq(governor.name(), "Charter Governor");
        assertEq(governor.votingDelay(), VOTING_DELAY);
        assertEq(governor.votingPeriod(), VOTING_PERIOD);
        assertEq(governor.proposalThreshold(), 1_000e18);
        assertEq(governor.quorumNumerator(), 4);
        assertEq(governor.lateQuorumVoteExtension(), LATE_QUORUM_EXTENSION);
        assertEq(governor.proposalGuardian(), guardian);
        assertEq(governor.timelock(), address(timelock));
        assertEq(address(governor.token()), address(token));
        assertEq(governor.clock(), block.timestamp);
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.quorum(block.timestamp - 1), SUPPLY * 4 / 100);
    }

    function test_constructor_revertsOnBlockNumberClock() public {
        BlockClockToken blockToken = new BlockClockToken();
        vm.expectRevert(
            abi.encodeWithSelector(
                CharterGovernor.CharterGovernorTokenClockNotTimestamp.selector,
                "mode=blocknumber&from=default"
            )
        );
        new CharterGovernor(blockToken, timelock, _config(4));
    }

    function test_constructor_revertsOnZeroQuorum() public {
        vm.expectRevert(CharterGovernor.CharterGovernorZeroQuorum.selector);
        new CharterGovernor(token, timelock, _config(0));
    }

    function test_updateQuorumNumerator_revertsOnZeroThroughGovernance() public {
        bytes memory zero = abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (0));
        _proposePassQueue(address(governor), zero, "zero quorum");
        vm.expectRevert(CharterGovernor.CharterGovernorZeroQuorum.selector);
        _execute(address(governor), zero, "zero quorum");
    }

    function test_timelockWiring() public view {
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)));
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)));
        assertTrue(governor.proposalNeedsQueuing(0));
    }

    function test_propose_revertsBelowThreshold() public {
        address poor = makeAddr("poor");
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, poor, 0, 1_000e18)
        );
        vm.prank(poor);
        governor.propose(targets, values, calldatas, "nothing");
    }

    function test_cancel_byProposalGuardian() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "to cancel");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(guardian);
        governor.cancel(targets, values, calldatas, keccak256("to cancel"));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    function test_cancel_revertsForOthersOnceActive() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.prank(alice);
        governor.propose(targets, values, calldatas, "keep");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnableToCancel.selector,
                governor.getProposalId(targets, values, calldatas, keccak256("keep")),
                bob
            )
        );
        vm.prank(bob);
        governor.cancel(targets, values, calldatas, keccak256("keep"));
    }

    function test_proposalState_followsLifecycle() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "states");
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending));
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));
        vm.prank(carol);
        governor.castVote(id, 0);
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }
}
