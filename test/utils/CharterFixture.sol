// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Test} from "forge-std/Test.sol";

import {CharterGovernor} from "../../contracts/src/CharterGovernor.sol";
import {CharterToken} from "../../contracts/src/CharterToken.sol";
import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {ModelRegistry} from "../../contracts/src/ModelRegistry.sol";
import {PolicyRegistry} from "../../contracts/src/PolicyRegistry.sol";
import {IProposalGuardian} from "../../contracts/src/interfaces/IProposalGuardian.sol";
import {SampleTree} from "./SampleTree.sol";

/// @dev The whole system wired as the deploy routine wires it, a demo DAO, and helpers that act as governance.
abstract contract CharterFixture is Test {
    uint48 internal constant VOTING_DELAY = 1 days;
    uint32 internal constant VOTING_PERIOD = 7 days;
    uint48 internal constant LATE_QUORUM_EXTENSION = 2 days;
    uint256 internal constant TIMELOCK_DELAY = 1 days;
    uint256 internal constant SUPPLY = 1_000_000e18;
    uint48 internal constant GUARDIAN_TERM = 365 days;
    uint48 internal constant APPROVAL_WINDOW = 30 days;
    uint48 internal constant MAX_SUSPENSION = 14 days;

    /// @dev The evidence game in tests: a results waits two days, an evaluator bonds 1 ether.
    uint48 internal constant CHALLENGE_PERIOD = 2 days;
    uint96 internal constant MIN_BOND = 1 ether;
    uint96 internal constant DISPUTE_BOND = 0.1 ether;
    uint48 internal constant UNBONDING_DELAY = 7 days;
    uint48 internal constant RESOLUTION_TIMEOUT = 5 days;
    uint16 internal constant DISPUTER_SHARE_BPS = 5000;

    CharterToken internal token;
    TimelockController internal timelock;
    CharterGovernor internal governor;
    EvidenceRegistry internal evidence;
    PolicyRegistry internal policies;
    ModelRegistry internal models;

    address internal alice = makeAddr("alice"); // 40% of the supply
    address internal bob = makeAddr("bob"); // 25%
    address internal carol = makeAddr("carol"); // 15%
    address internal dave = makeAddr("dave"); // 10%
    address internal erin = makeAddr("erin"); // 10%
    address internal guardian = makeAddr("guardian");

    uint256 internal evaluatorKey1 = 0xE1;
    uint256 internal evaluatorKey2 = 0xE2;
    uint256 internal evaluatorKey3 = 0xE3;
    address internal evaluator1 = vm.addr(evaluatorKey1);
    address internal evaluator2 = vm.addr(evaluatorKey2);
    address internal evaluator3 = vm.addr(evaluatorKey3);

    bytes32 internal constant DETECTION_SUITE = keccak256("spam-detection@1");
    bytes32 internal constant OVERBLOCKING_SUITE = keccak256("over-blocking@1");
    bytes32 internal constant ACCURACY = bytes32("accuracy");
    bytes32 internal constant F1 = bytes32("f1");
    bytes32 internal constant FALSE_POSITIVE_RATE = bytes32("false_positive_rate");
    bytes32 internal constant MAIL_SAFETY = bytes32("mail-safety");
    uint48 internal constant MAX_EVIDENCE_AGE = 30 days;

    bytes32 internal constant MAIL_GUARD = keccak256("mail-guard");
    bytes32 internal constant MODEL_V1 = keccak256("mail-guard v1 artifact");
    bytes32 internal constant MODEL_V2 = keccak256("mail-guard v2 artifact");

    function _deploySystem() internal {
        token = new CharterToken("Charter", "CHR", address(this), SUPPLY);
        timelock = new TimelockController(TIMELOCK_DELAY, new address[](0), new address[](1), address(this));
        governor = new CharterGovernor(
            token,
            timelock,
            CharterGovernor.Config({
                votingDelay: VOTING_DELAY,
                votingPeriod: VOTING_PERIOD,
                proposalThreshold: 1_000e18,
                quorumNumerator: 4,
                lateQuorumVoteExtension: LATE_QUORUM_EXTENSION,
                proposalGuardian: guardian,
                guardianTermEnd: uint48(block.timestamp) + GUARDIAN_TERM
            })
        );
        evidence = new EvidenceRegistry(address(timelock), _gameParameters(), address(0));
        policies = new PolicyRegistry(address(timelock), evidence);
        models = new ModelRegistry(
            address(timelock), policies, IProposalGuardian(address(governor)), APPROVAL_WINDOW, MAX_SUSPENSION
        );

        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));

        _fund(alice, 400_000e18);
        _fund(bob, 250_000e18);
        _fund(carol, 150_000e18);
        _fund(dave, 100_000e18);
        _fund(erin, 100_000e18);
        vm.warp(block.timestamp + 1);
    }

    function _fund(address holder, uint256 amount) internal {
        token.transfer(holder, amount);
        vm.prank(holder);
        token.delegate(holder);
    }

    // ------------------------------------------------------------ acting as governance

    /// @dev Direct call from the timelock: for unit tests of what governance may do.
    function _asGovernance(address target, bytes memory data) internal {
        vm.prank(address(timelock));
        (bool ok, bytes memory returned) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(returned, 0x20), mload(returned))
            }
        }
    }

    function _registerDemoSuites() internal {
        bytes32[] memory detection = new bytes32[](2);
        detection[0] = ACCURACY;
        detection[1] = F1;
        bytes32[] memory overblocking = new bytes32[](1);
        overblocking[0] = FALSE_POSITIVE_RATE;
        _asGovernance(
            address(evidence),
            abi.encodeCall(
                evidence.registerSuite, (DETECTION_SUITE, keccak256("detection data"), detection, "s1")
            )
        );
        _asGovernance(
            address(evidence),
            abi.encodeCall(
                evidence.registerSuite, (OVERBLOCKING_SUITE, keccak256("hard ham data"), overblocking, "s2")
            )
        );
    }

    function _gameParameters() internal pure returns (EvidenceRegistry.GameParameters memory) {
        return EvidenceRegistry.GameParameters({
            challengePeriod: CHALLENGE_PERIOD,
            minBond: MIN_BOND,
            disputeBond: DISPUTE_BOND,
            unbondingDelay: UNBONDING_DELAY,
            resolutionTimeout: RESOLUTION_TIMEOUT,
            disputerShareBps: DISPUTER_SHARE_BPS
        });
    }

    /// @dev Admits the evaluator and bonds `MIN_BOND` for it, so that its results count once out of their window.
    function _admit(address evaluator) internal {
        _admitUnbonded(evaluator);
        _bond(evaluator, MIN_BOND);
    }

    function _admitUnbonded(address evaluator) internal {
        _asGovernance(address(evidence), abi.encodeCall(evidence.admitEvaluator, (evaluator, "evaluator")));
    }

    /// @dev Gives the evaluator `amount` more ether and bonds it.
    function _bond(address evaluator, uint256 amount) internal {
        vm.deal(evaluator, evaluator.balance + amount);
        vm.prank(evaluator);
        evidence.bond{value: amount}();
    }

    /// @dev Moves time to the first second at which every result posted so far has left its challenge window.
    function _passChallengeWindow() internal {
        vm.warp(block.timestamp + CHALLENGE_PERIOD);
    }

    /// @dev mail-safety: f1 >= 0.90 and accuracy >= 0.90 on detection, false-positive rate <= 0.10 on hard ham.
    function _demoRules() internal pure returns (PolicyRegistry.Rule[] memory rules) {
        rules = new PolicyRegistry.Rule[](3);
        rules[0] = PolicyRegistry.Rule(DETECTION_SUITE, F1, PolicyRegistry.Comparator.AtLeast, 0.9e18);
        rules[1] = PolicyRegistry.Rule(
            OVERBLOCKING_SUITE, FALSE_POSITIVE_RATE, PolicyRegistry.Comparator.AtMost, 0.1e18
        );
        rules[2] = PolicyRegistry.Rule(DETECTION_SUITE, ACCURACY, PolicyRegistry.Comparator.AtLeast, 0.9e18);
    }

    function _setDemoPolicy(uint8 minEvaluators) internal {
        _asGovernance(
            address(policies),
            abi.encodeCall(
                policies.setPolicy, (MAIL_SAFETY, _demoRules(), minEvaluators, MAX_EVIDENCE_AGE, "p")
            )
        );
    }

    /// @dev Suites, two admitted evaluators, the demo policy requiring both, and two registered versions.
    function _setUpDemo() internal {
        _registerDemoSuites();
        _admit(evaluator1);
        _admit(evaluator2);
        _setDemoPolicy(2);
        _asGovernance(address(models), abi.encodeCall(models.setFamilyPolicy, ("mail-guard", MAIL_SAFETY)));
        models.register("mail-guard", "v1", MODEL_V1, "file://v1", 0);
        models.register("mail-guard", "v2", MODEL_V2, "file://v2", MODEL_V1);
    }

    /// @dev The approval of a mail-guard version that a proposal made now carries: the family's policy at its
    /// active version, the family's current version, and an expiry one approval window away.
    function _approvalCall(bytes32 modelId) internal view returns (bytes memory) {
        ModelRegistry.Family memory family = models.family(MAIL_GUARD);
        return abi.encodeCall(
            models.approve,
            (
                modelId,
                family.policyId,
                policies.currentVersion(family.policyId),
                family.currentVersion,
                uint48(block.timestamp) + APPROVAL_WINDOW
            )
        );
    }

    // ------------------------------------------------------------ evidence

    function _submission(bytes32 modelId, bytes32 suiteId, uint256[] memory values, bytes32 reportDigest)
        internal
        pure
        returns (EvidenceRegistry.Submission memory s)
    {
        bytes32[] memory metricIds;
        if (suiteId == DETECTION_SUITE) {
            metricIds = new bytes32[](2);
            metricIds[0] = ACCURACY;
            metricIds[1] = F1;
        } else {
            metricIds = new bytes32[](1);
            metricIds[0] = FALSE_POSITIVE_RATE;
        }
        s = EvidenceRegistry.Submission(
            modelId, suiteId, metricIds, values, reportDigest, DEMO_SAMPLES_ROOT, "ipfs://r"
        );
    }

    function _values(uint256 a) internal pure returns (uint256[] memory values) {
        values = new uint256[](1);
        values[0] = a;
    }

    function _values(uint256 a, uint256 b) internal pure returns (uint256[] memory values) {
        values = new uint256[](2);
        values[0] = a;
        values[1] = b;
    }

    /// @dev One evaluator's results on both demo suites.
    function _submitDemo(address evaluator, bytes32 modelId, uint256 accuracy, uint256 f1, uint256 fpr)
        internal
    {
        vm.startPrank(evaluator);
        evidence.submitResult(
            _submission(
                modelId, DETECTION_SUITE, _values(accuracy, f1), keccak256(abi.encode(modelId, accuracy, f1))
            )
        );
        evidence.submitResult(
            _submission(modelId, OVERBLOCKING_SUITE, _values(fpr), keccak256(abi.encode(modelId, fpr)))
        );
        vm.stopPrank();
    }

    function _submitPassing(address evaluator, bytes32 modelId) internal {
        _submitDemo(evaluator, modelId, 0.97e18, 0.95e18, 0.02e18);
    }

    // ------------------------------------------------------------ per-sample Merkle trees

    /// @dev The samples root of every result {_submission} builds: {_demoSamples} committed as OpenZeppelin's
    /// StandardMerkleTree commits them, the root its JavaScript library computes (EvidenceRegistry.t.sol checks
    /// that {_merkleTree} builds the same tree).
    bytes32 internal constant DEMO_SAMPLES_ROOT =
        0x4c83f64289e83033c9a1f502f80a19a2d1aa39c5f2d49072dc0a2a8a52c807e4;

    /// @dev Five per-sample outcomes (id, label, prediction, score).
    function _demoSamples() internal pure returns (EvidenceRegistry.Sample[] memory samples) {
        samples = new EvidenceRegistry.Sample[](5);
        samples[0] = EvidenceRegistry.Sample("msg-0", 1, 1, 0.9e18);
        samples[1] = EvidenceRegistry.Sample("msg-1", 0, 1, 0.6e18);
        samples[2] = EvidenceRegistry.Sample("msg-2", 1, 0, 0.3e18);
        samples[3] = EvidenceRegistry.Sample("msg-3", 0, 0, 0.1e18);
        samples[4] = EvidenceRegistry.Sample("msg-4", 1, 1, 0.95e18);
    }

    function _demoSample(uint256 index) internal pure returns (EvidenceRegistry.Sample memory) {
        return _demoSamples()[index];
    }

    /// @dev The proof of demo sample `index` against {DEMO_SAMPLES_ROOT}.
    function _demoProof(uint256 index) internal pure returns (bytes32[] memory) {
        EvidenceRegistry.Sample[] memory samples = _demoSamples();
        bytes32[] memory leaves = new bytes32[](samples.length);
        for (uint256 i; i < samples.length; ++i) {
            leaves[i] = _sampleLeaf(samples[i]);
        }
        return _merkleProof(_merkleTree(leaves), _sampleLeaf(samples[index]));
    }

    /// @dev An outcome other than the committed one, with a report of its own: what a disputer claims.
    function _claimAgainst(EvidenceRegistry.Sample memory committed)
        internal
        pure
        returns (EvidenceRegistry.Claim memory)
    {
        return EvidenceRegistry.Claim(
            1 - committed.prediction % 2, committed.score / 2, keccak256("disputer report"), "ipfs://d"
        );
    }

    /// @dev `disputer` disputes the live (model, suite) result of `evaluator`, naming demo sample 0 with a
    /// differing claim and paying the dispute bond (given to it first).
    function _dispute(address disputer, bytes32 modelId, bytes32 suiteId, address evaluator)
        internal
        returns (uint256 disputeId)
    {
        (EvidenceRegistry.Result memory live,) = evidence.result(modelId, suiteId, evaluator);
        EvidenceRegistry.Sample memory named = _demoSample(0);
        vm.deal(disputer, disputer.balance + DISPUTE_BOND);
        vm.prank(disputer);
        disputeId = evidence.dispute{value: DISPUTE_BOND}(
            modelId, suiteId, evaluator, live.reportDigest, named, _demoProof(0), _claimAgainst(named)
        );
    }

    /// @dev `s` signed by `key` for {EvidenceRegistry.submitResultWithSignature}, at `nonce`, valid until `deadline`.
    function _signSubmission(
        uint256 key,
        EvidenceRegistry.Submission memory s,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                evidence.SUBMISSION_TYPEHASH(),
                s.modelId,
                s.suiteId,
                keccak256(abi.encodePacked(s.metricIds)),
                keccak256(abi.encodePacked(s.values)),
                s.reportDigest,
                s.samplesRoot,
                keccak256(bytes(s.uri)),
                vm.addr(key),
                nonce,
                deadline
            )
        );
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            evidence.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        (uint8 v, bytes32 r, bytes32 sig) = vm.sign(key, MessageHashUtils.toTypedDataHash(domain, structHash));
        return abi.encodePacked(r, sig, v);
    }

    /// @dev A leaf as OpenZeppelin's StandardMerkleTree hashes a (string, uint256, uint256, uint256) value.
    function _sampleLeaf(EvidenceRegistry.Sample memory sample) internal pure returns (bytes32) {
        return SampleTree.leaf(sample);
    }

    /// @dev The tree OpenZeppelin's StandardMerkleTree builds from these leaves (sorted by hash, then laid out
    /// as a complete binary tree in an array: the root at 0, the children of i at 2i+1 and 2i+2, the leaves
    /// at the end in reverse order, each inner node the sorted-pair hash of its children). Sorts `leaves`.
    function _merkleTree(bytes32[] memory leaves) internal pure returns (bytes32[] memory tree) {
        require(leaves.length != 0, "no leaves");
        _sortHashes(leaves, 0, int256(leaves.length) - 1);
        tree = new bytes32[](2 * leaves.length - 1);
        for (uint256 i; i < leaves.length; ++i) {
            tree[tree.length - 1 - i] = leaves[i];
        }
        for (uint256 i = tree.length - leaves.length; i > 0; --i) {
            tree[i - 1] = Hashes.commutativeKeccak256(tree[2 * i - 1], tree[2 * i]);
        }
    }

    /// @dev The proof of `leaf` in a tree from {_merkleTree}: its siblings from the bottom up.
    function _merkleProof(bytes32[] memory tree, bytes32 leaf)
        internal
        pure
        returns (bytes32[] memory proof)
    {
        uint256 index = tree.length;
        for (uint256 i = tree.length; i > 0; --i) {
            if (tree[i - 1] == leaf) {
                index = i - 1;
                break;
            }
        }
        require(index < tree.length && 2 * index + 1 >= tree.length, "not a leaf of the tree");
        uint256 depth;
        for (uint256 j = index; j > 0; j = (j - 1) / 2) {
            ++depth;
        }
        proof = new bytes32[](depth);
        for (uint256 k; index > 0; ++k) {
            proof[k] = tree[index % 2 == 1 ? index + 1 : index - 1];
            index = (index - 1) / 2;
        }
    }

    function _sortHashes(bytes32[] memory hashes, int256 low, int256 high) private pure {
        while (low < high) {
            bytes32 pivot = hashes[uint256(low + (high - low) / 2)];
            int256 i = low;
            int256 j = high;
            while (i <= j) {
                while (hashes[uint256(i)] < pivot) ++i;
                while (hashes[uint256(j)] > pivot) --j;
                if (i <= j) {
                    (hashes[uint256(i)], hashes[uint256(j)]) = (hashes[uint256(j)], hashes[uint256(i)]);
                    ++i;
                    --j;
                }
            }
            if (j - low < high - i) {
                _sortHashes(hashes, low, j);
                low = i;
            } else {
                _sortHashes(hashes, i, high);
                high = j;
            }
        }
    }

    // ------------------------------------------------------------ the governor path

    function _single(address target, bytes memory data)
        internal
        pure
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        targets[0] = target;
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = data;
    }

    /// @dev Proposes one call as alice, passes it with alice and bob, and queues it; returns the id.
    function _proposePassQueue(address target, bytes memory data, string memory description)
        internal
        returns (uint256 proposalId)
    {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _single(target, data);
        vm.prank(alice);
        proposalId = governor.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(alice);
        governor.castVote(proposalId, 1);
        vm.prank(bob);
        governor.castVoteWithReason(proposalId, 1, "evidence is in");
        vm.warp(governor.proposalDeadline(proposalId) + 1);
        governor.queue(targets, values, calldatas, keccak256(bytes(description)));
        vm.warp(block.timestamp + TIMELOCK_DELAY);
    }

    function _execute(address target, bytes memory data, string memory description) internal {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _single(target, data);
        governor.execute(targets, values, calldatas, keccak256(bytes(description)));
    }
}
