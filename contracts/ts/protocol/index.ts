// @charter/contracts/protocol: the protocol's vocabulary and encodings, in one place and browser-safe.
// The contracts decide; this module names what they decide and how their values are written, and every
// other package (indexer, evaluator, web) imports it instead of keeping a copy.
export * from './vocabulary';
export * from './fixedPoint';
export * from './shortName';
export * from './submission';
export * from './proposalIds';
export * from './resultId';
export * from './reportDigest';
export * from './errors';
export * from './words';
export * from './policyCheck';
export * from './evidenceGame';
export * from './samplesTree';
export * from './signedBallots';
export * from './delegateStatement';
