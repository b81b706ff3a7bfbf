export * from './ballots';
