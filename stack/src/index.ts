export {
  approvalDescription,
  demoAccounts,
  GUARDIAN_TERM,
  MAIL_GUARD,
  MAIL_SAFETY,
  MODELS_DIR,
  seedDemoDao,
} from './demoDao';
export type { DemoDao } from './demoDao';
export { readConfig } from './config';
export type { StackConfig } from './config';
export { prepareBuilds } from './prepareBuilds';
export { startStack } from './start';
export type { RunningStack } from './start';
