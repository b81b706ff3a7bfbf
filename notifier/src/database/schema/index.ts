export * from './auth';
export * from './chain';
export * from './events';
export * from './subscriptions';
export * from './notifierSchema';
