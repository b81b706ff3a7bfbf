// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvidenceRegistry} from "../../contracts/src/EvidenceRegistry.sol";
import {CharterFixture} from "../utils/CharterFixture.sol";
import {EvidenceGameHandler} from "./EvidenceGameHandler.sol";

/// @dev The evidence game's money and standing rules, checked after every call of a handler that bonds,
/// unbonds, withdraws, posts, disputes (with real sample proofs), resolves, lets disputes lapse, pays out
/// credits and lets time pass. The counters record a breach at the call that makes it; the state checks
/// compare the contract with the handler's ghost account, so rules are checked every fourth call and after
/// the last without a breach hiding between checks.
/// forge-config: default.invariant.check-interval = 4
contract EvidenceGameInvariantsTest is CharterFixture {
    EvidenceGameHandler internal handler;

    function setUp() public {
        _deploySystem();
        handler = new EvidenceGameHandler(evidence, address(timelock));
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](17);
        actions[0] = handler.bond.selector;
        actions[1] = handler.unbond.selector;
        actions[2] = handler.withdrawBond.selector;
        actions[3] = handler.admitOrRemove.selector;
        actions[4] = handler.submit.selector;
        actions[5] = handler.repostStruck.selector;
        actions[6] = handler.dispute.selector;
        actions[7] = handler.resolve.selector;
        actions[8] = handler.resolveLapsed.selector;
        actions[9] = handler.withdrawCredit.selector;
        actions[10] = handler.wait.selector;
        // Disputes and their resolutions are what the game is about: drawn more often.
        actions[11] = handler.dispute.selector;
        actions[12] = handler.dispute.selector;
        actions[13] = handler.resolve.selector;
        actions[14] = handler.bond.selector;
        actions[15] = handler.resolveLapsed.selector;
        actions[16] = handler.resolve.selector;
        targetSelector(FuzzSelector(address(handler), actions));
    }

    /// @dev One campaign checks every rule; a call the rules refuse that succeeded, or one they
    /// allow that failed, is reported with the action that made it.
    function invariant_evidenceGameRules() public view {
        _assertFundsConserved();
        _assertPaidOutOnlyByWithdrawals();
        _assertSlashingNeverExceedsStake();
        _assertResultCountsOnlyAfterWindowAndUndisputed();
        assertEq(handler.ghostRuleMismatches(), 0, handler.ghostFirstMismatch());
    }

    /// @dev The contract holds exactly the active bonds, the bonds unbonding, the open dispute bonds and the
    /// unpaid credits; and each of those is what the ghost account says.
    function _assertFundsConserved() internal view {
        uint256 stakes;
        for (uint256 e; e < 3; ++e) {
            address evaluator = handler.evaluators(e);
            EvidenceGameHandler.GhostStake memory ghost = handler.ghostStake(evaluator);
            (uint256 bonded, uint256 unbonding, uint48 readyAt, uint32 openDisputes) =
                evidence.stakeOf(evaluator);
            assertEq(bonded, ghost.bonded, "bonded");
            assertEq(unbonding, ghost.unbonding, "unbonding");
            if (unbonding != 0) assertEq(readyAt, ghost.readyAt, "unbonding ready at");
            assertEq(openDisputes, ghost.openDisputes, "open disputes");
            stakes += bonded + unbonding;
        }
        uint256 credits;
        for (uint256 a; a < handler.accountCount(); ++a) {
            address account = handler.account(a);
            assertEq(evidence.credits(account), handler.ghostCredits(account), "credit");
            credits += evidence.credits(account);
        }
        assertEq(address(evidence).balance, stakes + handler.ghostOpenDisputeBonds() + credits, "funds");
    }

    /// @dev Everything that left the contract left through withdrawBond or withdrawCredit, to the account
    /// owed it: nothing else moved the balance.
    function _assertPaidOutOnlyByWithdrawals() internal view {
        assertEq(address(evidence).balance, handler.ghostDeposited() - handler.ghostPaidOut(), "paid out");
        assertEq(handler.ghostUnexpectedFlows(), 0, "balance moved other than by a deposit or a withdrawal");
    }

    /// @dev Every resolution credited exactly what the rules say, and a slash never took more than the stake.
    function _assertSlashingNeverExceedsStake() internal view {
        assertEq(handler.ghostSlashMismatches(), 0, "a resolution credited other than the rules say");
        assertLe(handler.ghostSlashed(), handler.ghostDeposited(), "slashed more than was ever staked");
    }

    /// @dev Each listed result has the standing the rules give it, and none counts inside its window, while
    /// disputed or struck, or from an underbonded evaluator.
    function _assertResultCountsOnlyAfterWindowAndUndisputed() internal view {
        for (uint256 m; m < handler.MODELS(); ++m) {
            bytes32 modelId = handler.modelAt(m);
            EvidenceRegistry.Evidence[] memory found = evidence.evidenceFor(modelId, handler.SUITE(), 0);
            for (uint256 i; i < found.length; ++i) {
                address evaluator = found[i].evaluator;
                EvidenceGameHandler.GhostResult memory live = handler.liveResult(modelId, evaluator);
                assertEq(
                    uint8(found[i].standing), uint8(handler.referenceStanding(modelId, evaluator)), "standing"
                );
                assertEq(found[i].submittedAt, live.submittedAt, "submitted at");
                assertEq(found[i].countsFrom, handler.countsFrom(modelId, evaluator), "counts from");
                if (found[i].standing == EvidenceRegistry.Standing.Counts) {
                    assertGe(block.timestamp, found[i].countsFrom, "counted inside its window");
                    assertEq(handler.ghostOpenOnVersion(live.reportDigest), 0, "counted while disputed");
                    assertFalse(handler.ghostStruck(live.reportDigest), "counted once struck");
                }
            }
        }
    }

    /// @dev Each run reached the states the invariants guard.
    function afterInvariant() public view {
        assertGt(handler.ghostDisputeCount(), 0, "no dispute in this run");
        assertGt(handler.ghostUpholds(), 0, "no upheld dispute in this run");
        assertGt(handler.ghostRejects(), 0, "no rejected dispute in this run");
        assertGt(handler.ghostLapses(), 0, "no lapsed dispute in this run");
        assertGt(handler.ghostSlashes(), 0, "no slash in this run");
    }
}
