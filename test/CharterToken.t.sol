// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CharterFixture} from "./utils/CharterFixture.sol";

contract CharterTokenTest is CharterFixture {
    function setUp() public {
        _deploySystem();
    }

    function test_clock_isTimestamp() public view {
        assertEq(token.clock(), block.timestamp);
        assertEq(token.CLOCK_MODE(), "mode=timestamp");
    }

    function test_supply_isFixedAndDistributed() public view {
        assertEq(token.totalSupply(), SUPPLY);
        assertEq(token.balanceOf(alice), 400_000e18);
        assertEq(token.getVotes(alice), 400_000e18);
    }

    function test_getPastVotes_byTimestamp() public {
        uint256 before = block.timestamp;
        vm.warp(before + 1 hours);
        vm.prank(alice);
        token.delegate(bob);
        vm.warp(before + 2 hours);
        assertEq(token.getPastVotes(bob, before), 250_000e18);
        assertEq(token.getPastVotes(bob, before + 1 hours), 650_000e18);
        assertEq(token.getPastTotalSupply(before), SUPPLY);
    }

    function testFuzz_permit_setsAllowanceOnce(uint256 ownerKey, uint256 amount) public {
        ownerKey = bound(ownerKey, 1, 2 ** 128);
        address owner = vm.addr(ownerKey);
        uint256 deadline = block.timestamp + 1 days;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
                ),
                owner,
                bob,
                amount,
                token.nonces(owner),
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(ownerKey, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash)));
        token.permit(owner, bob, amount, deadline, v, r, s);
        assertEq(token.allowance(owner, bob), amount);
        assertEq(token.nonces(owner), 1);
        vm.expectRevert();
        token.permit(owner, bob, amount, deadline, v, r, s);
    }
}
