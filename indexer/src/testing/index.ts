// `@charter/indexer/testing`: the test chain the relayer's and the notifier's tests share with the indexer's
// (anvil with Charter deployed, token holders, the mail-guard evidence). Test code only: production code
// never imports it.
export {
  activeProposal,
  disputeResult,
  modelDigest,
  setUpEvidence,
  startTestChain,
  submitResult,
  type TestChain,
} from './testChain';
