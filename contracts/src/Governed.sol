// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title Governed
 * @notice Base of the registries: every state change that is not a permissionless submission is made by
 * `governance`, the DAO's timelock, so it happens only through a passed and queued proposal.
 */
abstract contract Governed {
    /// @notice The only address allowed to change governed state: the DAO's timelock.
    address public immutable governance;

    error GovernedUnauthorized(address caller);
    error GovernedZeroAddress();

    modifier onlyGovernance() {
        if (msg.sender != governance) revert GovernedUnauthorized(msg.sender);
        _;
    }

    constructor(address governance_) {
        if (governance_ == address(0)) revert GovernedZeroAddress();
        governance = governance_;
    }
}
