export { startIndexer } from './startIndexer';
export type { Indexer } from './startIndexer';
export { configFromEnv, defaultConfig } from './config/config';
export type { IndexerConfig, IndexerOptions } from './config/config';
export {
  BaseError,
  BlockNotFoundError,
  ChainMismatchError,
  ConfigError,
  ReorgTooDeepError,
  RpcResponseError,
  RpcTransportError,
  RpcUnavailableError,
} from './errors';
export { createLogger } from './log';
export { openMigratedDatabase } from './database/openMigratedDatabase';
export type { MigratedDatabase, MigratedDatabaseOptions } from './database/openMigratedDatabase';
export type { Logger, LogLevel } from './log';
export type { SyncStatus } from './sync/createSync';
