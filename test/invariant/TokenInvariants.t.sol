// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {CharterToken} from "../../contracts/src/CharterToken.sol";
import {CharterFixture} from "../utils/CharterFixture.sol";

/// @dev Moves tokens and delegations around among a fixed set of holders.
contract TokenHandler is Test {
    CharterToken internal immutable token;
    address[] public holders;

    constructor(CharterToken token_, address[] memory holders_) {
        token = token_;
        holders = holders_;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) public {
        address from = holders[fromSeed % holders.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        require(token.transfer(holders[toSeed % holders.length], amount), "transfer failed");
    }

    function delegate(uint256 fromSeed, uint256 toSeed) public {
        vm.prank(holders[fromSeed % holders.length]);
        token.delegate(holders[toSeed % holders.length]);
    }

    function wait(uint256 seconds_) public {
        vm.warp(block.timestamp + bound(seconds_, 1, 1 days));
    }

    function holderCount() external view returns (uint256) {
        return holders.length;
    }
}

contract TokenInvariantsTest is CharterFixture {
    TokenHandler internal handler;

    function setUp() public {
        _deploySystem();
        address[] memory holders = new address[](6);
        (holders[0], holders[1], holders[2], holders[3], holders[4]) = (alice, bob, carol, dave, erin);
        holders[5] = makeAddr("undelegated"); // receives tokens but has never delegated
        handler = new TokenHandler(token, holders);
        targetContract(address(handler));
    }

    /// @dev Votes only come from delegated balances: together they never exceed the supply, and they equal
    /// the balances of the holders who delegated.
    function invariant_delegatedVotesNeverExceedSupply() public view {
        uint256 votes;
        uint256 delegatedBalances;
        for (uint256 i; i < handler.holderCount(); ++i) {
            address holder = handler.holders(i);
            votes += token.getVotes(holder);
            if (token.delegates(holder) != address(0)) delegatedBalances += token.balanceOf(holder);
        }
        assertLe(votes, token.totalSupply());
        assertEq(votes, delegatedBalances);
    }
}
