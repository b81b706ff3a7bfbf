export { createIndexerClient, IndexerError, readServerSentEvents } from './createIndexerClient';
export type { IndexerClient, IndexerClientOptions } from './createIndexerClient';
export type * from './types';
export {
  approvalChecks,
  approvalWindowStates,
  bondChanges,
  changeKinds,
  disputeResolutions,
  suspensionEnds,
  timelineEvents,
} from './vocabulary';
