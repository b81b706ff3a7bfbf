export { createIndexerClient, IndexerError, readServerSentEvents } from './createIndexerClient';
export type { IndexerClient, IndexerClientOptions } from './createIndexerClient';
export type * from './types';
export {
  approvalChecks,
  approvalWindowStates,
  changeKinds,
  suspensionEnds,
  timelineEvents,
} from './vocabulary';
