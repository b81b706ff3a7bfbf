// The one place that names where the indexer's client and types come from.
export { createIndexerClient, IndexerError, readServerSentEvents } from '@charter/indexer/client';
export type * from '@charter/indexer/client';
