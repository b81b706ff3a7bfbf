// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Vm} from "forge-std/Vm.sol";

import {CharterGovernor} from "../../contracts/src/CharterGovernor.sol";
import {
    GovernorPreventLateQuorumLean
} from "../../contracts/src/governance/GovernorPreventLateQuorumLean.sol";
import {CharterFixture} from "../utils/CharterFixture.sol";
import {LeanGovernorHarness, StockLateQuorumGovernor} from "./ReferenceGovernors.sol";

/// @dev Differential test: the lean module and OpenZeppelin's stock module, fed the same votes at the same
/// times (and the same changes of the extension), must agree on every state, deadline and extension.
contract GovernorPreventLateQuorumLeanTest is CharterFixture {
    LeanGovernorHarness internal lean;
    StockLateQuorumGovernor internal stock;
    address internal nobody = makeAddr("nobody"); // votes with zero weight

    struct Step {
        uint32 wait;
        uint8 voter;
        uint8 support;
        bool changeExtension;
        uint32 newExtension;
    }

    function setUp() public {
        _deploySystem();
    }

    function _deployPair(uint256 quorumNumerator, uint48 extension) internal {
        CharterGovernor.Config memory config = CharterGovernor.Config({
            votingDelay: VOTING_DELAY,
            votingPeriod: VOTING_PERIOD,
            proposalThreshold: 0,
            quorumNumerator: quorumNumerator,
            lateQuorumVoteExtension: extension,
            proposalGuardian: guardian,
            guardianTermEnd: uint48(block.timestamp) + GUARDIAN_TERM
        });
        TimelockController leanTimelock =
            new TimelockController(0, new address[](0), new address[](0), address(this));
        TimelockController stockTimelock =
            new TimelockController(0, new address[](0), new address[](0), address(this));
        lean = new LeanGovernorHarness(token, leanTimelock, config);
        stock = new StockLateQuorumGovernor(token, stockTimelock, config);
    }

    function testFuzz_matchesStockModule(uint8 quorumNumerator, uint32 extension, Step[12] memory steps)
        public
    {
        _deployPair(bound(quorumNumerator, 1, 100), uint48(bound(extension, 0, VOTING_PERIOD)));
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        uint256 id = lean.propose(targets, values, calldatas, "differential");
        assertEq(stock.propose(targets, values, calldatas, "differential"), id);
        vm.warp(lean.proposalSnapshot(id) + 1);

        address[6] memory voters = [alice, bob, carol, dave, erin, nobody];
        for (uint256 i; i < steps.length; ++i) {
            Step memory step = steps[i];
            vm.warp(block.timestamp + bound(step.wait, 0, 2 days));
            if (step.changeExtension) {
                uint48 newExtension = uint48(bound(step.newExtension, 0, VOTING_PERIOD));
                lean.setExtensionForTest(newExtension);
                stock.setExtensionForTest(newExtension);
            }
            address voter = voters[step.voter % voters.length];
            uint8 support = step.support % 3;

            vm.recordLogs();
            vm.prank(voter);
            (bool leanOk,) = address(lean).call(abi.encodeCall(IGovernor.castVote, (id, support)));
            uint256 leanExtension = _extensionIn(vm.getRecordedLogs());
            vm.prank(voter);
            (bool stockOk,) = address(stock).call(abi.encodeCall(IGovernor.castVote, (id, support)));
            uint256 stockExtension = _extensionIn(vm.getRecordedLogs());

            assertEq(leanOk, stockOk, "same votes accepted");
            assertEq(leanExtension, stockExtension, "same ProposalExtended");
            assertEq(lean.proposalDeadline(id), stock.proposalDeadline(id), "same deadline");
            assertEq(uint8(lean.state(id)), uint8(stock.state(id)), "same state");
        }
        vm.warp(block.timestamp + 20 days);
        assertEq(uint8(lean.state(id)), uint8(stock.state(id)), "same final state");
    }

    /// @dev The extended deadline announced in a log batch, or zero.
    function _extensionIn(Vm.Log[] memory logs) internal pure returns (uint256) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == GovernorPreventLateQuorumLean.ProposalExtended.selector) {
                return abi.decode(logs[i].data, (uint64));
            }
        }
        return 0;
    }

    function test_lateQuorumExtendsDeadline() public {
        _deployPair(4, 2 days);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        uint256 id = lean.propose(targets, values, calldatas, "late");
        uint256 deadline = lean.proposalDeadline(id);
        vm.warp(deadline - 1 hours);
        vm.expectEmit(address(lean));
        emit GovernorPreventLateQuorumLean.ProposalExtended(id, uint64(block.timestamp + 2 days));
        vm.prank(carol);
        lean.castVote(id, 1);
        assertEq(lean.proposalDeadline(id), block.timestamp + 2 days);
        vm.warp(deadline + 1);
        assertEq(uint8(lean.state(id)), uint8(IGovernor.ProposalState.Active));
        vm.prank(alice);
        lean.castVote(id, 0); // the extension gives the other side time to respond
        vm.warp(block.timestamp + 2 days);
        assertEq(uint8(lean.state(id)), uint8(IGovernor.ProposalState.Defeated));
    }

    function test_earlyQuorumDoesNotExtend() public {
        _deployPair(4, 2 days);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        uint256 id = lean.propose(targets, values, calldatas, "early");
        uint256 deadline = lean.proposalDeadline(id);
        vm.warp(lean.proposalSnapshot(id) + 1);
        vm.prank(carol);
        lean.castVote(id, 1);
        vm.warp(deadline - 1);
        vm.prank(bob);
        lean.castVote(id, 1);
        assertEq(lean.proposalDeadline(id), deadline);
    }

    function test_setLateQuorumVoteExtension_revertsAboveVotingPeriod() public {
        _deployPair(4, 2 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                GovernorPreventLateQuorumLean.GovernorPreventLateQuorumVoteExtensionTooLarge.selector,
                uint256(VOTING_PERIOD) + 1,
                uint256(VOTING_PERIOD)
            )
        );
        lean.setExtensionForTest(VOTING_PERIOD + 1);
    }

    function test_setLateQuorumVoteExtension_onlyGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, alice));
        vm.prank(alice);
        governor.setLateQuorumVoteExtension(1 days);
    }
}
