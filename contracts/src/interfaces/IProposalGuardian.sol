// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Who the DAO's proposal guardian (its security council) is now: the governor answers, and its
/// answer is zero when there is none or its term has ended.
interface IProposalGuardian {
    function proposalGuardian() external view returns (address);
}
