export * from './accounts';
export * from './evidence';
export * from './governance';
export * from './models';
export * from './policies';
export * from './proposals';
export * from './sync';
export * from './votes';
