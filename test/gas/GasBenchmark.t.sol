// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

import {CharterGovernor} from "../../contracts/src/CharterGovernor.sol";
import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {PolicyRegistry} from "../../contracts/src/PolicyRegistry.sol";
import {PlainGovernor, StockLateQuorumGovernor} from "../governance/ReferenceGovernors.sol";
import {CharterFixture} from "../utils/CharterFixture.sol";

/// @dev Gas of the hot paths, written to snapshots/ by `npm run bench -w contracts`, which runs this contract
/// with --isolate so that every call is its own transaction (cold and warm storage as on a real chain).
/// CI compares against the committed snapshots and fails on any change.
contract GasBenchmark is CharterFixture {
    /// @dev Issues 12 and 13's limits, enforced here as well as printed by the gas report.
    uint256 internal constant SUBMIT_RESULT_GAS_LIMIT = 150_000;
    uint256 internal constant APPROVE_BEYOND_TIMELOCK_GAS_LIMIT = 120_000;
    uint256 internal constant DISPUTE_DEPTH_12_GAS_LIMIT = 200_000;

    address[5] internal smallVoters;

    function setUp() public {
        _deploySystem();
        for (uint256 i; i < smallVoters.length; ++i) {
            smallVoters[i] = makeAddr(string.concat("small voter ", vm.toString(i)));
            vm.prank(erin);
            token.transfer(smallVoters[i], 10_000e18); // 1% each; the quorum is 4%
            vm.prank(smallVoters[i]);
            token.delegate(smallVoters[i]);
        }
        vm.warp(block.timestamp + 1);
    }

    function _config() internal view returns (CharterGovernor.Config memory) {
        return CharterGovernor.Config({
            votingDelay: VOTING_DELAY,
            votingPeriod: VOTING_PERIOD,
            proposalThreshold: 1_000e18,
            quorumNumerator: 4,
            lateQuorumVoteExtension: LATE_QUORUM_EXTENSION,
            proposalGuardian: guardian,
            guardianTermEnd: uint48(block.timestamp) + GUARDIAN_TERM
        });
    }

    function _newTimelock() internal returns (TimelockController) {
        return new TimelockController(TIMELOCK_DELAY, new address[](0), new address[](0), address(this));
    }

    /// @dev One proposal through its voting period: each kind of vote measured once, in the order a real
    /// proposal sees them (first vote, votes before quorum, the vote reaching quorum, votes after).
    function _measureVoting(Governor target, string memory group) internal {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(models), _approvalCall(MODEL_V2));
        vm.prank(alice);
        uint256 id = target.propose(targets, values, calldatas, "Approve mail-guard v2");
        vm.snapshotGasLastCall(group, "propose");
        vm.warp(block.timestamp + VOTING_DELAY + 1);

        vm.prank(smallVoters[0]);
        target.castVote(id, 1);
        vm.snapshotGasLastCall(group, "castVote_first");
        vm.prank(smallVoters[1]);
        target.castVote(id, 1);
        vm.snapshotGasLastCall(group, "castVote_beforeQuorum");
        vm.prank(smallVoters[2]);
        target.castVoteWithReason(id, 0, "the over-blocking numbers are too close to the limit");
        vm.snapshotGasLastCall(group, "castVoteWithReason_beforeQuorum");
        vm.prank(alice);
        target.castVote(id, 1);
        vm.snapshotGasLastCall(group, "castVote_reachingQuorum");
        vm.prank(smallVoters[3]);
        target.castVote(id, 1);
        vm.snapshotGasLastCall(group, "castVote_afterQuorum");
        vm.prank(smallVoters[4]);
        target.castVoteWithReason(id, 2, "no view on this one");
        vm.snapshotGasLastCall(group, "castVoteWithReason_afterQuorum");
    }

    function test_gas_plainGovernor() public {
        _measureVoting(new PlainGovernor(token, _newTimelock(), _config()), "PlainGovernor");
    }

    function test_gas_stockLateQuorumGovernor() public {
        _measureVoting(
            new StockLateQuorumGovernor(token, _newTimelock(), _config()), "StockLateQuorumGovernor"
        );
    }

    function test_gas_charterGovernor() public {
        _measureVoting(governor, "CharterGovernor");
    }

    /// @dev Votes inside the late-quorum window, where the lean module does the stock module's work.
    function test_gas_charterGovernorLateWindow() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) =
            _single(address(token), "");
        vm.prank(alice);
        uint256 id = governor.propose(targets, values, calldatas, "late");
        vm.warp(governor.proposalDeadline(id) - 1 hours);
        vm.prank(smallVoters[0]);
        governor.castVote(id, 1);
        vm.snapshotGasLastCall("CharterGovernor", "castVote_lateWindow_beforeQuorum");
        vm.prank(alice);
        governor.castVote(id, 1);
        vm.snapshotGasLastCall("CharterGovernor", "castVote_lateWindow_reachingQuorum");
        vm.prank(smallVoters[1]);
        governor.castVote(id, 1);
        vm.snapshotGasLastCall("CharterGovernor", "castVote_lateWindow_afterQuorum");
    }

    function test_gas_evidenceAndApproval() public {
        bytes32 suiteId = keccak256("four metrics");
        bytes32[] memory metricIds = new bytes32[](4);
        (metricIds[0], metricIds[1], metricIds[2], metricIds[3]) =
        (ACCURACY, F1, bytes32("precision"), bytes32("recall"));
        _asGovernance(
            address(evidence),
            abi.encodeCall(evidence.registerSuite, (suiteId, keccak256("d"), metricIds, ""))
        );
        _admit(evaluator1);
        _admit(evaluator2);
        PolicyRegistry.Rule[] memory rules = new PolicyRegistry.Rule[](3);
        rules[0] = PolicyRegistry.Rule(suiteId, F1, PolicyRegistry.Comparator.AtLeast, 0.9e18);
        rules[1] =
            PolicyRegistry.Rule(suiteId, bytes32("precision"), PolicyRegistry.Comparator.AtLeast, 0.9e18);
        rules[2] = PolicyRegistry.Rule(suiteId, bytes32("recall"), PolicyRegistry.Comparator.AtLeast, 0.9e18);
        _asGovernance(
            address(policies),
            abi.encodeCall(policies.setPolicy, (MAIL_SAFETY, rules, 2, MAX_EVIDENCE_AGE, ""))
        );
        _asGovernance(address(models), abi.encodeCall(models.setFamilyPolicy, ("mail-guard", MAIL_SAFETY)));

        models.register("mail-guard", "v2", MODEL_V2, "https://models.example/mail-guard/v2", 0);
        vm.snapshotGasLastCall("Registries", "register");

        uint256[] memory scores = new uint256[](4);
        (scores[0], scores[1], scores[2], scores[3]) = (0.97e18, 0.95e18, 0.96e18, 0.94e18);
        EvidenceRegistry.Submission memory s = EvidenceRegistry.Submission(
            MODEL_V2,
            suiteId,
            metricIds,
            scores,
            keccak256("report 1"),
            keccak256("root"),
            "https://reports.example/1.json"
        );
        vm.prank(evaluator1);
        evidence.submitResult(s);
        // The evaluator's first submission since admission: its nonce slot was written at admission.
        uint256 firstSubmission = vm.snapshotGasLastCall("Registries", "submitResult_4metrics");
        assertLe(firstSubmission, SUBMIT_RESULT_GAS_LIMIT, "submitResult over its limit");
        s.reportDigest = keccak256("report 2");
        vm.prank(evaluator2);
        evidence.submitResult(s);
        s.reportDigest = keccak256("report 3");
        vm.prank(evaluator1);
        evidence.submitResult(s);
        vm.snapshotGasLastCall("Registries", "submitResult_4metrics_supersede");
        // Both results out of their challenge window by the time the approval executes.
        _passChallengeWindow();

        // What approval costs beyond the timelock's own work: execute(approve) minus execute(a call to nothing).
        bytes memory approval = _approvalCall(MODEL_V2);
        vm.startPrank(address(governor));
        timelock.schedule(address(models), 0, approval, 0, 0, TIMELOCK_DELAY);
        timelock.schedule(makeAddr("nothing"), 0, "", 0, 0, TIMELOCK_DELAY);
        vm.stopPrank();
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        timelock.execute(makeAddr("nothing"), 0, "", 0, 0);
        uint256 noop = vm.snapshotGasLastCall("Registries", "timelockExecute_noop");
        timelock.execute(address(models), 0, approval, 0, 0);
        uint256 approved = vm.snapshotGasLastCall("Registries", "timelockExecute_approve_3rules_2evaluators");
        assertLe(approved - noop, APPROVE_BEYOND_TIMELOCK_GAS_LIMIT, "approve over its limit");
    }

    /// @dev The evidence game's paths: bonding, a dispute naming a sample of a 4,096-sample report (a proof of
    /// depth 12), its resolution and the payout.
    function test_gas_evidenceGame() public {
        _registerDemoSuites();
        _admitUnbonded(evaluator1);
        vm.deal(evaluator1, MIN_BOND);
        vm.prank(evaluator1);
        evidence.bond{value: MIN_BOND}();
        vm.snapshotGasLastCall("Registries", "bond_first");

        EvidenceRegistry.Sample[] memory samples = new EvidenceRegistry.Sample[](4096);
        bytes32[] memory leaves = new bytes32[](samples.length);
        for (uint256 i; i < samples.length; ++i) {
            samples[i] = EvidenceRegistry.Sample(string.concat("msg-", vm.toString(i)), i % 2, i % 2, 0.9e18);
            leaves[i] = _sampleLeaf(samples[i]);
        }
        bytes32[] memory tree = _merkleTree(leaves);
        EvidenceRegistry.Submission memory s =
            _submission(MODEL_V1, DETECTION_SUITE, _values(0.97e18, 0.95e18), keccak256("report"));
        s.samplesRoot = tree[0];
        vm.prank(evaluator1);
        evidence.submitResult(s);

        EvidenceRegistry.Sample memory named = samples[1234];
        bytes32[] memory proof = _merkleProof(tree, _sampleLeaf(named));
        assertEq(proof.length, 12, "a proof of depth 12");
        EvidenceRegistry.Claim memory claim = EvidenceRegistry.Claim(
            1 - named.prediction, 0.1e18, keccak256("disputer report"), "https://reports.example/d.json"
        );
        address disputer = makeAddr("disputer");
        vm.deal(disputer, DISPUTE_BOND);
        vm.prank(disputer);
        uint256 disputeId = evidence.dispute{value: DISPUTE_BOND}(
            MODEL_V1, DETECTION_SUITE, evaluator1, s.reportDigest, named, proof, claim
        );
        uint256 disputeGas = vm.snapshotGasLastCall("Registries", "dispute_depth12");
        assertLe(disputeGas, DISPUTE_DEPTH_12_GAS_LIMIT, "dispute over its limit");

        vm.prank(address(timelock));
        evidence.resolveDispute(disputeId, true);
        vm.snapshotGasLastCall("Registries", "resolveDispute_upheld");
        evidence.withdrawCredit(disputer);
        vm.snapshotGasLastCall("Registries", "withdrawCredit");
    }
}
