export { startNotifier } from './startNotifier';
export type { Notifier } from './startNotifier';
export { defaultConfig, defaultRetrySchedule } from './config/config';
export type { NotifierConfig, NotifierOptions } from './config/config';
export { verifySignature } from './delivery/signature';
export { eventTypes } from './events/eventTypes';
export type { EventBody, EventType } from './events/eventTypes';
export type { Delivery, Subscription } from './subscriptions/subscriptions';
