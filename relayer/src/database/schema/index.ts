export * from './ballots';
export * from './relayerState';
