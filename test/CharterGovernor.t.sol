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

    function _guardianTermEnd() internal view returns (uint48) {
        return uint48(block.timestamp) + GUARDIAN_TERM;
    }

    function _config(uint256 quorumNumerator) internal view returns (CharterGovernor.Config memory) {
        return CharterGovernor.Config(
            VOTING_DELAY, VOTING_PERIOD, 1_000e18, quorumNumerator, 1 days, guardian, _guardianTermEnd()
        );
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

    // ------------------------------------------------------------ the guardian's term (hole 4)

    function test_constructor_setsGuardianTerm() public {
        CharterGovernor.Config memory config = _config(4);
        vm.expectEmit(false, false, false, true);
        emit CharterGovernor.GuardianTermSet(0, config.guardianTermEnd);
        CharterGovernor fresh = new CharterGovernor(token, timelock, config);
        assertEq(fresh.guardianTermEnd(), config.guardianTermEnd);
        assertEq(fresh.proposalGuardian(), guardian);
    }

    function test_proposalGuardian_isZeroOnceTheTermEnds() public {
        uint48 termEnd = governor.guardianTermEnd();
        vm.warp(termEnd - 1);
        assertEq(governor.proposalGuardian(), guardian);
        vm.warp(termEnd);
        assertEq(governor.proposalGuardian(), address(0));
    }

    function testFuzz_proposalGuardian_followsTheTerm(uint48 termEnd, uint48 now_) public {
        _passAndExecute(address(governor), abi.encodeCall(governor.setGuardianTerm, (termEnd)), "term");
        assertEq(governor.guardianTermEnd(), termEnd);
        vm.warp(now_);
        assertEq(governor.proposalGuardian(), now_ < termEnd ? guardian : address(0));
    }

    function test_cancel_guardianPowerEndsWithItsTerm() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.warp(governor.guardianTermEnd());
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "after the term");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, guardian));
        vm.prank(guardian);
        governor.cancel(targets, values, calldatas, keccak256("after the term"));
    }

    function test_setGuardianTerm_governanceRenewsAnEndedTerm() public {
        uint48 oldEnd = governor.guardianTermEnd();
        vm.warp(oldEnd + 1);
        assertEq(governor.proposalGuardian(), address(0));
        uint48 newEnd = oldEnd + 2 * GUARDIAN_TERM;
        bytes memory renew = abi.encodeCall(governor.setGuardianTerm, (newEnd));
        _proposePassQueue(address(governor), renew, "renew the guardian");
        vm.expectEmit(address(governor));
        emit CharterGovernor.GuardianTermSet(oldEnd, newEnd);
        _execute(address(governor), renew, "renew the guardian");
        assertEq(governor.guardianTermEnd(), newEnd);
        assertEq(governor.proposalGuardian(), guardian);

        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "cancelled again");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(guardian);
        governor.cancel(targets, values, calldatas, keccak256("cancelled again"));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    function test_setGuardianTerm_revertsOutsideGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, guardian));
        vm.prank(guardian);
        governor.setGuardianTerm(type(uint48).max);
    }

    function test_cancel_guardianCannotCancelTheProposalReplacingIt() public {
        address council = makeAddr("new council");
        bytes memory replace = abi.encodeCall(governor.setProposalGuardian, (council));
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(governor), replace);
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "replace the guardian");

        // Refused while the vote runs, and again once queued.
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _expectGuardianCannotCancel(targets, values, calldatas, "replace the guardian", id);
        vm.prank(alice);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(targets, values, calldatas, keccak256("replace the guardian"));
        _expectGuardianCannotCancel(targets, values, calldatas, "replace the guardian", id);

        vm.warp(block.timestamp + TIMELOCK_DELAY);
        governor.execute(targets, values, calldatas, keccak256("replace the guardian"));
        assertEq(governor.proposalGuardian(), council);
    }

    function test_cancel_guardianCannotCancelAChangeOfItsTerm() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(governor), abi.encodeCall(governor.setGuardianTerm, (0)));
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "end the term");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _expectGuardianCannotCancel(targets, values, calldatas, "end the term", id);
    }

    function test_cancel_guardianMayCancelItsOwnGuardianChange() public {
        vm.prank(erin);
        token.transfer(guardian, 1_000e18);
        vm.prank(guardian);
        token.delegate(guardian);
        vm.warp(block.timestamp + 1);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(governor), abi.encodeCall(governor.setGuardianTerm, (type(uint48).max)));
        vm.prank(guardian);
        uint256 id = governor.propose(targets, values, calldatas, "a longer term");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(guardian);
        governor.cancel(targets, values, calldatas, keccak256("a longer term"));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    function test_propose_refusesAGuardianChangeMixedWithOtherActions() public {
        // The bypass: bundle a harmful action with a guardian change so that the guardian cannot cancel it.
        address[] memory targets = new address[](2);
        bytes[] memory calldatas = new bytes[](2);
        (targets[0], calldatas[0]) = (address(token), abi.encodeCall(token.transfer, (alice, 1)));
        (targets[1], calldatas[1]) =
        (address(governor), abi.encodeCall(governor.setProposalGuardian, (alice)));
        vm.expectRevert(
            abi.encodeWithSelector(CharterGovernor.CharterGovernorGuardianChangeNotAlone.selector, 1)
        );
        vm.prank(alice);
        governor.propose(targets, new uint256[](2), calldatas, "shelter a transfer");

        (targets[0], calldatas[0]) = (address(governor), abi.encodeCall(governor.setGuardianTerm, (0)));
        (targets[1], calldatas[1]) = (address(token), "");
        vm.expectRevert(
            abi.encodeWithSelector(CharterGovernor.CharterGovernorGuardianChangeNotAlone.selector, 0)
        );
        vm.prank(alice);
        governor.propose(targets, new uint256[](2), calldatas, "shelter a call");
    }

    function testFuzz_propose_refusesAGuardianChangeAmongOtherActions(uint8 otherActions, uint8 position)
        public
    {
        uint256 count = bound(otherActions, 1, 8) + 1;
        uint256 index = bound(position, 0, count - 1);
        address[] memory targets = new address[](count);
        bytes[] memory calldatas = new bytes[](count);
        for (uint256 i; i < count; ++i) {
            (targets[i], calldatas[i]) = i == index
                ? (address(governor), abi.encodeCall(governor.setProposalGuardian, (alice)))
                : (address(governor), abi.encodeCall(governor.setVotingDelay, (uint48(i))));
        }
        vm.expectRevert(
            abi.encodeWithSelector(CharterGovernor.CharterGovernorGuardianChangeNotAlone.selector, index)
        );
        vm.prank(alice);
        governor.propose(targets, new uint256[](count), calldatas, "mixed");
    }

    function test_propose_acceptsAGuardianAndItsTermTogether() public {
        address council = makeAddr("new council");
        address[] memory targets = new address[](2);
        bytes[] memory calldatas = new bytes[](2);
        (targets[0], calldatas[0]) =
        (address(governor), abi.encodeCall(governor.setProposalGuardian, (council)));
        uint48 newEnd = uint48(block.timestamp) + 3 * GUARDIAN_TERM;
        (targets[1], calldatas[1]) = (address(governor), abi.encodeCall(governor.setGuardianTerm, (newEnd)));
        uint256[] memory values = new uint256[](2);
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "a new council");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _expectGuardianCannotCancel(targets, values, calldatas, "a new council", id);
        vm.prank(alice);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(targets, values, calldatas, keccak256("a new council"));
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        governor.execute(targets, values, calldatas, keccak256("a new council"));
        assertEq(governor.proposalGuardian(), council);
        assertEq(governor.guardianTermEnd(), newEnd);
    }

    function test_noGuardian_proposalsRunTheirCourse() public {
        CharterGovernor.Config memory config = _config(4);
        (config.proposalGuardian, config.guardianTermEnd) = (address(0), 0);
        CharterGovernor unguarded = new CharterGovernor(token, timelock, config);
        assertEq(unguarded.proposalGuardian(), address(0));
        assertEq(unguarded.guardianTermEnd(), 0);

        // The deployed governor, its guardian removed by governance: proposals pass and execute, and the
        // former guardian cannot cancel them.
        bytes memory remove = abi.encodeCall(governor.setProposalGuardian, (address(0)));
        _passAndExecute(address(governor), remove, "no guardian");
        assertEq(governor.proposalGuardian(), address(0));
        bytes memory delay = abi.encodeCall(governor.setVotingDelay, (2 days));
        uint256 id = _proposePassQueue(address(governor), delay, "a longer delay");
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(governor), delay);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, guardian));
        vm.prank(guardian);
        governor.cancel(targets, values, calldatas, keccak256("a longer delay"));
        _execute(address(governor), delay, "a longer delay");
        assertEq(governor.votingDelay(), 2 days);
    }

    function test_noGuardian_proposerMayCancelItsOwnProposalAtAnyStage() public {
        vm.warp(governor.guardianTermEnd());
        bytes memory delay = abi.encodeCall(governor.setVotingDelay, (2 days));
        uint256 id = _proposePassQueue(address(governor), delay, "withdrawn");
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(governor), delay);
        vm.prank(alice);
        governor.cancel(targets, values, calldatas, keccak256("withdrawn"));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    function _passAndExecute(address target, bytes memory data, string memory description) internal {
        _proposePassQueue(target, data, description);
        _execute(target, data, description);
    }

    function _expectGuardianCannotCancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        uint256 id
    ) internal {
        vm.expectRevert(
            abi.encodeWithSelector(CharterGovernor.CharterGovernorGuardianCannotCancel.selector, id)
        );
        vm.prank(guardian);
        governor.cancel(targets, values, calldatas, keccak256(bytes(description)));
    }
}
