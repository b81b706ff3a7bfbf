// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";

/// @dev A report's per-sample outcomes as four leaves drawn from a seed, committed the way OpenZeppelin's
/// StandardMerkleTree commits (string, uint256, uint256, uint256) leaves: the root a result posts and the
/// proof a disputer sends, built independently of the contract that verifies them.
library SampleTree {
    uint256 internal constant SIZE = 4;

    function sample(uint256 seed, uint256 index) internal pure returns (EvidenceRegistry.Sample memory) {
        uint256 label = (seed >> index) & 1;
        uint256 prediction = (seed >> (index + 8)) & 1;
        uint256 score = uint256(keccak256(abi.encode(seed, index))) % 1e18;
        return EvidenceRegistry.Sample(sampleId(index), label, prediction, score);
    }

    function sampleId(uint256 index) internal pure returns (string memory) {
        return string.concat("msg-", string(abi.encodePacked(bytes1(uint8(0x30 + index)))));
    }

    function leaf(EvidenceRegistry.Sample memory s) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(s.id, s.label, s.prediction, s.score))));
    }

    function root(uint256 seed) internal pure returns (bytes32) {
        return Hashes.commutativeKeccak256(_pair(seed, 0), _pair(seed, 1));
    }

    function proof(uint256 seed, uint256 index) internal pure returns (bytes32[] memory siblings) {
        siblings = new bytes32[](2);
        siblings[0] = leaf(sample(seed, index ^ 1));
        siblings[1] = _pair(seed, 1 - index / 2);
    }

    /// @dev An outcome that differs from the committed one: what a disputer claims it obtained.
    function claimAgainst(EvidenceRegistry.Sample memory committed, string memory uri)
        internal
        pure
        returns (EvidenceRegistry.Claim memory)
    {
        return EvidenceRegistry.Claim(
            1 - committed.prediction, (committed.score + 1) % 1e18, keccak256(bytes(uri)), uri
        );
    }

    function _pair(uint256 seed, uint256 pairIndex) private pure returns (bytes32) {
        return
            Hashes.commutativeKeccak256(
                leaf(sample(seed, 2 * pairIndex)), leaf(sample(seed, 2 * pairIndex + 1))
            );
    }
}
