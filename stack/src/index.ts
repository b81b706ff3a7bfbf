export {
  APPROVAL_DESCRIPTION,
  demoAccounts,
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
