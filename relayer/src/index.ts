export { startRelayer } from './startRelayer';
export type { Relayer } from './startRelayer';
export { configFromEnv, defaultConfig } from './config/config';
export type { RelayerConfig, RelayerOptions } from './config/config';
export { BallotRefused } from './errors';
export type { Ballot, DelegationBallot, SignedBallot, VoteBallot } from './ballots/types';
